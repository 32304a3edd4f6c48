// The declaration API used by pipeline.ts. Everything here is plain data: the engine
// validates it (validate.ts), keys it (keys.ts) and runs it (scheduler.ts).

import type { StageDecl, OutDecl, PipelineDecl } from '../../schemas/types/pipeline.ts';

// The declaration types come from schemas/pipeline.schema.json (npm run gen:types).
export type { StageDecl, OutDecl, PipelineDecl, StageCode, Verify, Resources } from '../../schemas/types/pipeline.ts';

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
