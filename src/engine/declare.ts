// The declaration API used by pipeline.ts. Everything here is plain data: the engine
// validates it (validate.ts), keys it (keys.ts) and runs it (scheduler.ts).

/** How `repro verify` compares a re-executed output with the committed lock record. */
export type Verify =
  | 'exact'
  | {
      /** Dotted JSON paths (with `*` for every array element / object value) of the numbers compared. */
      fields: string[];
      /** Absolute tolerance. */
      abs?: number;
      /** Relative tolerance (fraction of the locked value). */
      rel?: number;
    };

export interface OutDecl {
  path: string;
  verify?: Verify;
}

export interface Resources {
  /** CPU cores the stage keeps busy. Default 1. */
  cpus?: number;
  /** GPUs the stage needs. Default 0. */
  gpus?: number;
  /** Peak memory in MiB. Default 0 (not accounted). */
  memoryMB?: number;
  /** Wall-clock limit in minutes, for cluster executors. */
  timeMinutes?: number;
}

/** Code to run: an exported function of a TypeScript module, or a shell command. */
export type StageCode =
  | { module: string; export?: string }
  | { shell: string };

export interface StageDecl {
  /** Stable id, e.g. `train@connect4-w16-c0`. Letters, digits and `-_.@` only. */
  id: string;
  run: StageCode;
  /** Files or directories read. Paths that another stage writes make it upstream. */
  deps?: string[];
  /** Dotted keys of params.json whose values the stage reads. */
  params?: string[];
  outs: (string | OutDecl)[];
  resources?: Resources;
  /** Seed for every random choice the stage makes. */
  seed?: number;
  /** Names of environment variables whose values enter the key (declared environment facts). */
  env?: string[];
  /** Extra JSON-serialisable arguments passed to the stage (matrix coordinates, say). They enter the key. */
  args?: Record<string, unknown>;
}

export interface PipelineDecl {
  stages: StageDecl[];
}

/** pipeline.ts default-exports either a declaration or a function of the validated params. */
export type PipelineModule<P = Record<string, unknown>> = PipelineDecl | ((params: P) => PipelineDecl);

export function definePipeline<P = Record<string, unknown>>(decl: PipelineModule<P>): PipelineModule<P> {
  return decl;
}

export function stage(decl: StageDecl): StageDecl {
  return decl;
}

type Axes = Record<string, readonly unknown[]>;
type Point<A extends Axes> = { [K in keyof A]: A[K][number] };

/**
 * Expands one declaration over the cartesian product of parameter lists.
 * Instance ids are `${name}@${suffix(point)}`; the default suffix joins `key`+`value`
 * pairs, e.g. `train@connect4-w16-c0` from `suffix: p => \`${p.game}-w${p.w}-c${p.c}\``.
 */
export function matrix<A extends Axes>(
  name: string,
  axes: A,
  make: (point: Point<A>, id: string) => Omit<StageDecl, 'id'>,
  suffix: (point: Point<A>) => string = (p) =>
    Object.entries(p)
      .map(([k, v]) => `${k}${String(v)}`)
      .join('-'),
): StageDecl[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [axis, values] of Object.entries(axes)) {
    points = points.flatMap((p) => values.map((v) => ({ ...p, [axis]: v })));
  }
  return points.map((p) => {
    const point = p as Point<A>;
    const id = `${name}@${suffix(point)}`;
    return { id, ...make(point, id) };
  });
}

export function outPath(o: string | OutDecl): string {
  return typeof o === 'string' ? o : o.path;
}
