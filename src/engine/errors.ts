// Errors the CLI turns into one clear message and an exit code.

/** Bad input: params, pipeline declaration, CLI usage, corrupted files. Exit code 2. */
export class InputError extends Error {
  constructor(
    message: string,
    /** What the user should do about it. */
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }

  format(): string {
    return this.fix ? `${this.message}\n  fix: ${this.fix}` : this.message;
  }
}

/** One or more stages failed. Exit code 1. */
export class StageFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StageFailure';
  }
}
