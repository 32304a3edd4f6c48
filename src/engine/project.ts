// Loading a pipeline: pipeline.ts evaluated against the validated params, its stages
// normalised, checked as a whole (ids, outputs, deps, params, cycles) and ordered. Every
// declaration error stops here, before any stage starts.
import { existsSync } from 'node:fs';
import { Heap } from 'heap-js';
import { tsImport } from 'tsx/esm/api';
import { join, resolve, relative, posix, isAbsolute, dirname } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import type { StageDecl, OutDecl, StageCode, PipelineModule } from './declare.ts';
import { InputError } from './errors.ts';
import { assertValid } from './json.ts';
import { hasKey, loadParams, type Params } from './params.ts';
import { projectPaths, type ProjectPaths } from './paths.ts';

const ENGINE_SCHEMAS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas');

export interface NormalStage {
  id: string;
  run: StageCode;
  /** `module#export` or the shell command: what the key records as the code entry. */
  runLabel: string;
  /** Root-relative module path of a TypeScript stage. */
  module?: string;
  exportName?: string;
  deps: string[];
  params: string[];
  outs: OutDecl[];
  outPaths: string[];
  resources: { cpus: number; gpus: number; memoryMB: number; timeMinutes?: number };
  seed: number | null;
  env: string[];
  /** Packages declared for the key besides those the code imports by name (sorted). */
  packages: string[];
  args: Record<string, unknown>;
  /** Ids of the stages that write something this stage reads. */
  upstream: string[];
  /** Declared cost of one run (FLOPs), for dry runs; never part of the key. */
  estimateFlops: number | null;
}

export interface Project {
  root: string;
  profile: string;
  params: Params;
  /** Stages in a dependency-respecting order. */
  stages: NormalStage[];
  byId: Map<string, NormalStage>;
  paths: ProjectPaths;
}

/**
 * Root-relative paths the pipeline writes itself: every stage's declared outputs, and the
 * lock records of every profile (the default profile's directory holds the others').
 */
export function pipelineWrites(project: Project): string[] {
  return [normPath(projectPaths(project.root, 'default').locks, project.root), ...project.stages.flatMap((s) => s.outPaths)];
}

/** Finds the pipeline root: the nearest directory at or above `from` holding pipeline.ts. */
export function findRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'pipeline.ts'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new InputError(`no pipeline.ts in ${resolve(from)} or any directory above it`, 'run repro inside a pipeline checkout, or pass --root DIR');
    dir = up;
  }
}

const loadedPipelines = new Set<string>();

export async function loadProject(root: string, opts: { profile?: string } = {}): Promise<Project> {
  const profile = opts.profile ?? 'default';
  const params = loadParams(root, profile);
  const file = join(root, 'pipeline.ts');
  let mod: { default?: PipelineModule };
  try {
    // The first load uses the process's own (cached) module loader; later loads of the same
    // file in a long-lived process (tests, a watcher) use tsx's scoped import, which
    // evaluates pipeline.ts anew so that edits are seen.
    const url = pathToFileURL(file).href;
    // A pipeline outside an ES-module package would load as CommonJS natively; tsx's scoped
    // import copes with either.
    mod = loadedPipelines.has(url) ? await tsImport(url, import.meta.url) : await import(url).catch(() => tsImport(url, import.meta.url));
    loadedPipelines.add(url);
  } catch (e) {
    throw new InputError(`pipeline.ts could not be loaded: ${(e as Error).message}`, 'fix the error in pipeline.ts');
  }
  let exported: unknown = mod.default;
  // Loaded as CommonJS interop, the module's own default export sits one level deeper.
  if (exported && typeof exported === 'object' && 'default' in exported && !('stages' in exported)) exported = (exported as { default: unknown }).default;
  if (exported === undefined) throw new InputError('pipeline.ts has no default export', 'export default definePipeline(…)');
  let decl: unknown;
  try {
    decl = typeof exported === 'function' ? (exported as (p: Params) => unknown)(params) : exported;
  } catch (e) {
    throw new InputError(`pipeline.ts threw while declaring the pipeline: ${(e as Error).message}`, 'fix pipeline.ts');
  }
  assertValid(join(ENGINE_SCHEMAS, 'pipeline.schema.json'), decl, 'pipeline.ts declaration');
  const stages = normalise((decl as { stages: StageDecl[] }).stages, root, params);
  return { root, profile, params, stages, byId: new Map(stages.map((s) => [s.id, s])), paths: projectPaths(root, profile) };
}

function normPath(p: string, root: string): string {
  if (isAbsolute(p)) {
    const rel = relative(root, p);
    return rel.startsWith('..') ? posix.normalize(p) : posix.normalize(rel.split('\\').join('/'));
  }
  return posix.normalize(p).replace(/\/$/, '');
}

function parentOf(p: string): string | null {
  const i = p.lastIndexOf('/');
  return i <= 0 ? null : p.slice(0, i);
}

/** True if `inner` is `outer` or lies below it. */
export function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer + '/');
}

function normalise(decls: StageDecl[], root: string, params: Params): NormalStage[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const stages: NormalStage[] = decls.map((d) => {
    seen.set(d.id, (seen.get(d.id) ?? 0) + 1);
    const outs = d.outs.map((o) => (typeof o === 'string' ? { path: normPath(o, root) } : { ...o, path: normPath(o.path, root) }));
    const run = d.run;
    const module = 'module' in run ? normPath(run.module, root) : undefined;
    const exportName = 'module' in run ? (run.export ?? 'run') : undefined;
    return {
      id: d.id,
      run,
      runLabel: module ? `${module}#${exportName}` : (run as { shell: string }).shell,
      module,
      exportName,
      deps: [...new Set((d.deps ?? []).map((p) => normPath(p, root)))],
      params: [...new Set(d.params ?? [])].sort(),
      outs,
      outPaths: outs.map((o) => o.path),
      resources: { cpus: d.resources?.cpus ?? 1, gpus: d.resources?.gpus ?? 0, memoryMB: d.resources?.memoryMB ?? 0, timeMinutes: d.resources?.timeMinutes },
      seed: d.seed ?? null,
      env: [...new Set(d.env ?? [])].sort(),
      packages: [...new Set(d.packages ?? [])].sort(),
      args: d.args ?? {},
      upstream: [],
      estimateFlops: d.estimate?.flops ?? null,
    };
  });

  for (const [id, n] of seen) if (n > 1) problems.push(`stage ${id} is declared ${n} times\n  fix: give each stage (or matrix instance) a unique id`);

  // Outputs indexed by path and by every ancestor directory, so overlap and producer
  // look-ups cost a walk up one path rather than a scan of every output.
  const writerAt = new Map<string, string>();
  const writersBelow = new Map<string, { path: string; id: string }[]>();
  const overlapping = (p: string): { path: string; id: string }[] => {
    const hits: { path: string; id: string }[] = [];
    for (let a: string | null = p; a !== null; a = parentOf(a)) {
      const id = writerAt.get(a);
      if (id !== undefined) hits.push({ path: a, id });
    }
    for (const w of writersBelow.get(p) ?? []) if (w.path !== p) hits.push(w);
    return hits;
  };
  for (const s of stages) {
    if (s.module && !existsSync(join(root, s.module))) problems.push(`stage ${s.id}: module ${s.module} does not exist\n  fix: correct run.module in pipeline.ts`);
    for (const o of s.outPaths) {
      if (isAbsolute(o) || o.startsWith('..')) problems.push(`stage ${s.id}: output ${o} lies outside the pipeline root\n  fix: write outputs below ${root}`);
      for (const w of overlapping(o)) {
        problems.push(
          w.id === s.id
            ? `stage ${s.id} declares overlapping outputs ${w.path} and ${o}\n  fix: declare each output once`
            : `stages ${w.id} and ${s.id} both write ${within(o, w.path) ? o : w.path}\n  fix: give each output exactly one stage`,
        );
      }
      writerAt.set(o, s.id);
      for (let a = parentOf(o); a !== null; a = parentOf(a)) {
        const list = writersBelow.get(a) ?? [];
        list.push({ path: o, id: s.id });
        writersBelow.set(a, list);
      }
    }
    for (const key of s.params) {
      if (!hasKey(params, key)) problems.push(`stage ${s.id} declares param '${key}', which params.json does not have\n  fix: add '${key}' to params.json (and its schema), or remove it from the stage's params`);
    }
  }

  for (const s of stages) {
    const up = new Set<string>();
    for (const dep of s.deps) {
      const producers = overlapping(dep);
      if (producers.some((w) => w.id === s.id)) {
        problems.push(`stage ${s.id} reads ${dep}, which it writes itself\n  fix: remove ${dep} from its deps or its outs`);
        continue;
      }
      if (producers.length === 0 && !existsSync(isAbsolute(dep) ? dep : join(root, dep))) {
        problems.push(`stage ${s.id} depends on ${dep}, which no stage writes and no file provides\n  fix: create ${dep}, add a stage that writes it, or correct the path in pipeline.ts`);
      }
      for (const w of producers) up.add(w.id);
    }
    s.upstream = [...up].sort();
  }

  if (problems.length) throw new InputError(`pipeline.ts: ${problems.join('\n')}`);
  return topoOrder(stages);
}

/** Kahn's algorithm, ties broken by declaration order; a cycle is reported with its path. */
function topoOrder(stages: NormalStage[]): NormalStage[] {
  const byId = new Map(stages.map((s) => [s.id, s]));
  const indegree = new Map(stages.map((s) => [s.id, s.upstream.length]));
  const down = new Map<string, string[]>(stages.map((s) => [s.id, []]));
  for (const s of stages) for (const u of s.upstream) down.get(u)!.push(s.id);
  const order: NormalStage[] = [];
  const position = new Map(stages.map((s, i) => [s.id, i]));
  // Of the stages whose upstream is done, the first declared comes next. A heap, not a
  // sorted list: at the paper's scale thousands of tournament shards are ready at once.
  const ready = new Heap<string>((a, b) => position.get(a)! - position.get(b)!);
  ready.init(stages.filter((s) => s.upstream.length === 0).map((s) => s.id));
  for (let id = ready.pop(); id !== undefined; id = ready.pop()) {
    order.push(byId.get(id)!);
    for (const d of down.get(id)!) {
      indegree.set(d, indegree.get(d)! - 1);
      if (indegree.get(d) === 0) ready.push(d);
    }
  }
  if (order.length < stages.length) {
    const cycle = findCycle(stages.filter((s) => indegree.get(s.id)! > 0), byId);
    throw new InputError(
      `pipeline.ts: the stages form a cycle: ${cycle.join(' → ')}`,
      `break the cycle: one of these stages must not read what another writes`,
    );
  }
  return order;
}

function findCycle(candidates: NormalStage[], byId: Map<string, NormalStage>): string[] {
  const stack: string[] = [];
  const onStack = new Set<string>();
  const done = new Set<string>();
  const visit = (id: string): string[] | null => {
    stack.push(id);
    onStack.add(id);
    for (const u of byId.get(id)!.upstream) {
      if (onStack.has(u)) return [...stack.slice(stack.indexOf(u)), u].reverse();
      if (!done.has(u)) {
        const c = visit(u);
        if (c) return c;
      }
    }
    stack.pop();
    onStack.delete(id);
    done.add(id);
    return null;
  };
  for (const s of candidates) {
    const c = visit(s.id);
    if (c) return c;
  }
  return candidates.map((s) => s.id);
}

export function defaultCpus(): number {
  return Math.max(1, cpus().length);
}
