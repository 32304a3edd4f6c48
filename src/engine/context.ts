// What a TypeScript stage function receives. Built in the child process by runner.ts.
import type { GitFacts } from '../../schemas/types/run-record.ts';

export interface StageContext<P = Record<string, any>> {
  /** The stage instance id, e.g. `train@connect4-w16-c0`. */
  readonly id: string;
  /** Absolute path of the pipeline's root (where pipeline.ts lives). */
  readonly root: string;
  /** The declared params only, nested as in params.json. Reading any other key throws. */
  readonly params: P;
  /** Value of one declared dotted key; throws for an undeclared key. */
  param<T = unknown>(key: string): T;
  /** Absolute paths of the declared deps, in declaration order. */
  readonly deps: string[];
  /** Absolute staging paths of the declared outs, in declaration order. Write here, never to the final paths. */
  readonly outs: string[];
  /** Staging path for a declared out (as written in pipeline.ts). Throws for an undeclared path. */
  out(path: string): string;
  /** Absolute path for a declared dep (as written in pipeline.ts). Throws for an undeclared path. */
  dep(path: string): string;
  /** The stage's seed (0 when none was declared). */
  readonly seed: number;
  /** The declaration's `args` (matrix coordinates and the like). */
  readonly args: Record<string, any>;
  /**
   * A directory that survives a failed or killed run of the same key, for checkpoints:
   * a rerun with an unchanged key finds what the killed run left here. Removed on success.
   */
  readonly workDir: string;
  /**
   * The checkout's commit and whether it has changes besides what the pipeline writes itself
   * (outputs, lock records), for provenance lines; never part of the key. Nulls outside git.
   */
  readonly git: GitFacts;
  /** Writes a line to the stage's log (.repro/logs/<id>.log). */
  log(...message: unknown[]): void;
  /** Reports progress; the scheduler shows a bar and ETA. */
  progress(done: number, total: number, label?: string): void;
  /** Adds volatile facts (backend, peak memory…) to the run record; they never enter the key. */
  record(facts: Record<string, unknown>): void;
}

export type StageFunction<P = Record<string, any>> = (ctx: StageContext<P>) => Promise<void> | void;
