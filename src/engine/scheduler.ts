// The scheduler: brings the selected stages up to date in dependency order, running
// ready stages concurrently up to --jobs within the declared resources (cpus, gpus,
// memory). A failure stops what depends on it; without --keep-going it also stops new
// starts. Ctrl-C cancels running stages; their staging stays for the next run to resume.
import { totalmem } from 'node:os';
import { InputError } from './errors.ts';
import { didYouMean } from './suggest.ts';
import type { Executor } from './exec/executor.ts';
import { localGpus, type LocalGpus } from './exec/gpu-devices.ts';
import type { Hashing } from './keys.ts';
import type { NormalStage, Project } from './project.ts';
import { updateStage, type Outcome, type StageEvents, type UpdateResult } from './update-stage.ts';

export interface Capacity {
  cpus: number;
  gpus: number;
  memoryMB: number;
  /** The GPUs to hand out by name (local runs); absent where the executor places GPUs itself (Slurm). */
  localGpus?: LocalGpus;
}

export interface SchedulerOptions {
  jobs: number;
  force: boolean;
  keepGoing: boolean;
  executor: Executor;
  capacity: Capacity;
  events: StageEvents & { end(id: string, r: StageOutcome): void };
  /** Set by the caller on Ctrl-C. */
  signal?: AbortSignal;
}

export type StageOutcome = UpdateResult | { outcome: 'skipped'; ms: 0; error: string };

export interface RunSummary {
  results: Map<string, StageOutcome>;
  ms: number;
  interrupted: boolean;
}

/** The stages the targets name (ids, matrix names, globs), in pipeline order; all of them without targets. */
export function matchTargets(project: Project, targets: string[]): NormalStage[] {
  if (!targets.length) return project.stages;
  const named = new Set<string>();
  for (const t of targets) {
    const hits = project.stages.filter((s) => s.id === t || s.id.startsWith(`${t}@`) || (t.includes('*') && globMatch(t, s.id)));
    if (!hits.length) {
      const names = project.stages.flatMap((s) => [s.id, s.id.split('@')[0]!]);
      throw new InputError(`no stage matches target '${t}'${didYouMean(t, names)}`, `use a stage id, a matrix name (the part before @) or a glob; see repro dag for the ids`);
    }
    for (const s of hits) named.add(s.id);
  }
  return project.stages.filter((s) => named.has(s.id));
}

/** The targets and everything upstream of them, in pipeline order. */
export function selectStages(project: Project, targets: string[]): NormalStage[] {
  if (!targets.length) return project.stages;
  const wanted = new Set<string>();
  const add = (id: string) => {
    if (wanted.has(id)) return;
    wanted.add(id);
    for (const u of project.byId.get(id)!.upstream) add(u);
  };
  for (const s of matchTargets(project, targets)) add(s.id);
  return project.stages.filter((s) => wanted.has(s.id));
}

function globMatch(glob: string, id: string): boolean {
  const re = new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(id);
}

/** This machine's capacity; its GPUs are looked for only when a stage declares one (nvidia-smi takes up to a second). */
export function defaultCapacity(cpus: number, anyGpuStage: boolean): Capacity {
  const gpus = anyGpuStage ? localGpus() : { devices: [], source: 'no stage declares a GPU' };
  return { cpus, gpus: gpus.devices.length, memoryMB: Math.floor(totalmem() / 1024 / 1024), localGpus: gpus };
}

export async function runStages(project: Project, stages: NormalStage[], h: Hashing, opts: SchedulerOptions): Promise<RunSummary> {
  const t0 = Date.now();
  await opts.executor.preflight?.(stages);
  for (const s of stages) {
    if (s.resources.gpus > opts.capacity.gpus) {
      throw new InputError(
        `stage ${s.id} needs ${s.resources.gpus} GPU(s); this machine offers ${opts.capacity.gpus}${opts.capacity.localGpus ? ` (${opts.capacity.localGpus.source})` : ''}`,
        `lower resources.gpus of ${s.id} (in the pipeline, or the param it is computed from), set REPRO_GPUS=N if N GPUs are present, or run it on a cluster executor`,
      );
    }
  }
  const selected = new Set(stages.map((s) => s.id));
  const results = new Map<string, StageOutcome>();
  const waiting = [...stages];
  const running = new Map<string, Promise<void>>();
  let used = { cpus: 0, gpus: 0, memoryMB: 0 };
  // Devices not handed to a running stage, when this scheduler places GPUs itself.
  const freeDevices = opts.capacity.localGpus ? [...opts.capacity.localGpus.devices] : undefined;
  let stopStarting = false;
  const cancels = new Map<string, () => void>();
  const onAbort = () => {
    stopStarting = true;
    for (const c of cancels.values()) c();
  };
  opts.signal?.addEventListener('abort', onAbort);

  const upstreamState = (s: NormalStage): 'ok' | 'wait' | 'blocked' => {
    for (const u of s.upstream) {
      if (!selected.has(u)) continue;
      const r = results.get(u);
      if (!r) return 'wait';
      if (r.outcome === 'failed' || r.outcome === 'skipped') return 'blocked';
    }
    return 'ok';
  };
  // A stage bigger than the machine runs alone rather than never.
  const fits = (s: NormalStage) => {
    if (running.size === 0) return true;
    if (running.size >= opts.jobs) return false;
    const r = s.resources;
    return used.cpus + r.cpus <= opts.capacity.cpus && used.gpus + r.gpus <= opts.capacity.gpus && (r.memoryMB === 0 || used.memoryMB + r.memoryMB <= opts.capacity.memoryMB);
  };

  const finish = (s: NormalStage, r: StageOutcome) => {
    results.set(s.id, r);
    opts.events.end(s.id, r);
    if (r.outcome === 'failed' && !opts.keepGoing) stopStarting = true;
  };

  while (waiting.length || running.size) {
    let started = false;
    for (let i = 0; i < waiting.length; i++) {
      const s = waiting[i]!;
      const up = upstreamState(s);
      if (up === 'blocked') {
        waiting.splice(i--, 1);
        const failed = s.upstream.filter((u) => ['failed', 'skipped'].includes(results.get(u)?.outcome ?? ''));
        finish(s, { outcome: 'skipped', ms: 0, error: `upstream ${failed.join(', ')} did not complete` });
        continue;
      }
      if (up === 'wait' || stopStarting || !fits(s)) continue;
      waiting.splice(i--, 1);
      started = true;
      used = { cpus: used.cpus + s.resources.cpus, gpus: used.gpus + s.resources.gpus, memoryMB: used.memoryMB + s.resources.memoryMB };
      // A stage without GPUs sees none, under any executor; Slurm's --gres places the others there.
      const gpuDevices = s.resources.gpus === 0 ? [] : freeDevices?.splice(0, s.resources.gpus);
      const p = updateStage(project, s, h, {
        force: opts.force,
        executor: opts.executor,
        events: opts.events,
        gpuDevices,
        onJob: (id, cancel) => (cancel ? cancels.set(id, cancel) : cancels.delete(id)),
      })
        .catch((e: unknown): UpdateResult => ({ outcome: 'failed', ms: 0, error: e instanceof InputError ? e.format() : String((e as Error)?.stack ?? e) }))
        .then((r) => {
          used = { cpus: used.cpus - s.resources.cpus, gpus: used.gpus - s.resources.gpus, memoryMB: used.memoryMB - s.resources.memoryMB };
          freeDevices?.push(...(gpuDevices ?? []));
          running.delete(s.id);
          finish(s, r);
        });
      running.set(s.id, p);
      // Fresh stages resolve at once; let them settle before judging what else is ready.
      await Promise.resolve();
    }
    if (stopStarting && !running.size) break;
    if (running.size && !started) await Promise.race(running.values());
    else if (!started && !running.size && waiting.length) break; // nothing can ever start
  }
  opts.signal?.removeEventListener('abort', onAbort);
  opts.executor.close?.();
  return { results, ms: Date.now() - t0, interrupted: opts.signal?.aborted ?? false };
}

export function countOutcomes(summary: RunSummary): Record<Outcome | 'skipped', number> {
  const c = { fresh: 0, restored: 0, ran: 0, failed: 0, skipped: 0 };
  for (const r of summary.results.values()) c[r.outcome]++;
  return c;
}
