// One stage's lifecycle once its upstream is done: fresh → nothing; key seen before →
// restore from the run cache; otherwise run it in staging, then hash, cache, move the
// outputs into place and write the lock (in that order, so a failure at any point leaves
// the previous outputs and lock, or the cache, able to repair the workspace).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, isAbsolute, relative } from 'node:path';
import type { KeyMaterial, LockRecord, OutputRecord } from '../../schemas/types/lockfile.ts';
import { RunCache, CorruptCacheError } from './cache.ts';
import type { Executor, JobResult } from './exec/executor.ts';
import type { StageJob, StageMessage } from './exec/job.ts';
import { stableJson } from './json.ts';
import type { Hashing } from './keys.ts';
import { writeLock } from './lock.ts';
import { pickParams } from './params.ts';
import { pipelineWrites, type NormalStage, type Project } from './project.ts';
import { gitFacts, hostFacts, writeRunRecord } from './runrecord.ts';
import { StatCache, type PathHash } from './statcache.ts';
import { evaluate } from './status.ts';
import { lockedValues } from './verify-values.ts';

export type Outcome = 'fresh' | 'restored' | 'ran' | 'failed';

export interface StageEvents {
  start(id: string, how: 'run' | 'restore'): void;
  message(id: string, m: StageMessage): void;
  warn(message: string): void;
}

export interface UpdateOptions {
  force: boolean;
  executor: Executor;
  events: StageEvents;
  /** Register a cancel function for Ctrl-C. */
  onJob?: (id: string, cancel: (() => void) | null) => void;
  /** The GPUs the stage may use (StageJob.gpuDevices). */
  gpuDevices?: string[];
}

export interface UpdateResult {
  outcome: Outcome;
  ms: number;
  error?: string;
  log?: string;
  jobId?: string;
}

const checkouts = new WeakMap<Project, ReturnType<typeof gitFacts>>();

/** The checkout's commit, and whether anything the pipeline does not write itself has changed: asked once per run (a run loads its project once). */
function checkoutFacts(project: Project): ReturnType<typeof gitFacts> {
  let facts = checkouts.get(project);
  if (facts === undefined) {
    facts = gitFacts(project.root, pipelineWrites(project));
    checkouts.set(project, facts);
  }
  return facts;
}

export function stagingDir(project: Project, id: string): string {
  return join(project.paths.staging, id);
}

export function logFile(project: Project, id: string): string {
  return join(project.paths.logs, `${id}.log`);
}

export async function updateStage(project: Project, stage: NormalStage, h: Hashing, opts: UpdateOptions): Promise<UpdateResult> {
  const t0 = Date.now();
  const start = new Date(t0).toISOString();
  const ev = evaluate(project, stage, h, new Set());
  if (!opts.force && ev.state === 'fresh') return { outcome: 'fresh', ms: 0 };
  if (ev.key.missingDeps.length) {
    return { outcome: 'failed', ms: 0, error: `deps missing: ${ev.key.missingDeps.join(', ')} (no upstream stage wrote them)` };
  }
  const { key, material } = ev.key;
  const cache = new RunCache(project.paths.cache);
  const staging = stagingDir(project, stage.id);
  const outsDir = join(staging, 'outs');
  const record = async (outcome: 'ran' | 'restored' | 'failed', extra: Partial<import('./runrecord.ts').RunRecord> = {}) =>
    writeRunRecord(project.paths.runs, {
      id: stage.id,
      key,
      outcome,
      start,
      durationMs: Date.now() - t0,
      ...hostFacts(),
      git: await checkoutFacts(project),
      executor: opts.executor.name,
      ...extra,
    });

  if (!opts.force) {
    const entry = cache.entry(key);
    if (entry) {
      opts.events.start(stage.id, 'restore');
      rmSync(outsDir, { recursive: true, force: true });
      try {
        cache.restore(entry, outsDir);
        const hashes = Object.fromEntries(stage.outPaths.map((p) => [p, toOutputRecord(entry.outs[p]!)]));
        commit(project, stage, h, outsDir, { engine: material.engine, id: stage.id, key, material, outs: hashes });
        rmSync(outsDir, { recursive: true, force: true });
        await record('restored');
        return { outcome: 'restored', ms: Date.now() - t0 };
      } catch (e) {
        if (!(e instanceof CorruptCacheError)) throw e;
        opts.events.warn(`${stage.id}: ${e.message}; removed it, running the stage instead`);
      }
    }
  }

  // A killed run of the same key left its work directory (checkpoints) for us to resume.
  const keyFile = join(staging, 'key');
  if (existsSync(keyFile) && readFileSync(keyFile, 'utf8') !== key) rmSync(staging, { recursive: true, force: true });
  rmSync(outsDir, { recursive: true, force: true });
  const workDir = join(staging, 'work');
  mkdirSync(workDir, { recursive: true });
  mkdirSync(outsDir, { recursive: true });
  writeFileSync(keyFile, key);
  const abs = (p: string) => (isAbsolute(p) ? p : join(project.root, p));
  for (const p of stage.outPaths) mkdirSync(dirname(join(outsDir, p)), { recursive: true });
  const job: StageJob = {
    id: stage.id,
    root: project.root,
    run: stage.run,
    module: stage.module ? abs(stage.module) : undefined,
    exportName: stage.exportName,
    params: pickParams(project.params, stage.params),
    paramKeys: stage.params,
    deps: stage.deps.map((d) => [d, abs(d)]),
    outs: stage.outPaths.map((o) => [o, join(outsDir, o)]),
    seed: stage.seed,
    args: stage.args,
    workDir,
    git: await checkoutFacts(project),
    gpuDevices: opts.gpuDevices,
  };
  const jobFile = join(staging, 'job.json');
  writeFileSync(jobFile, stableJson(job));
  const log = logFile(project, stage.id);
  mkdirSync(dirname(log), { recursive: true });
  writeFileSync(log, `# ${stage.id} ${start} key ${key}\n`);

  opts.events.start(stage.id, 'run');
  const handle = opts.executor.start(stage, job, jobFile, log, (m) => opts.events.message(stage.id, m));
  opts.onJob?.(stage.id, handle.cancel);
  let result: JobResult;
  try {
    result = await handle.done;
  } finally {
    opts.onJob?.(stage.id, null);
  }
  const logRel = relative(process.cwd(), log);
  const fail = async (error: string): Promise<UpdateResult> => {
    await record('failed', { error, log: logRel, jobId: result.jobId, gpuDevices: opts.gpuDevices, peakRssMB: result.peakRssMB, facts: result.facts });
    return { outcome: 'failed', ms: Date.now() - t0, error, log: logRel, jobId: result.jobId };
  };
  if (!result.ok) return fail(result.error ?? 'failed');
  const missing = stage.outPaths.filter((p) => !existsSync(join(outsDir, p)));
  if (missing.length) return fail(`did not write declared output${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  // The key was taken when the stage started. Had its code or a dep changed while it ran, the
  // outputs could come from inputs other than the ones the key names: keep nothing of them.
  const changed = changedWhileRunning(project, stage, h, material);
  if (changed.length) {
    return fail(`${changed.join(', ')} changed while the stage ran, so its outputs may not match its key; they were discarded (run again)`);
  }

  // Hash what the stage wrote (never through the persistent stat cache: staging is transient).
  const fresh = new StatCache(outsDir, '');
  const hashed: Record<string, { abs: string; hash: PathHash }> = {};
  for (const p of stage.outPaths) hashed[p] = { abs: join(outsDir, p), hash: fresh.hashPath(p)! };
  cache.store(key, stage.id, hashed);
  const outs = Object.fromEntries(Object.entries(hashed).map(([p, { hash }]) => [p, toOutputRecord(hash)]));
  commit(project, stage, h, outsDir, { engine: material.engine, id: stage.id, key, material, outs });
  rmSync(staging, { recursive: true, force: true });
  await record('ran', { log: logRel, jobId: result.jobId, gpuDevices: opts.gpuDevices, peakRssMB: result.peakRssMB, facts: result.facts });
  return { outcome: 'ran', ms: Date.now() - t0, log: logRel, jobId: result.jobId };
}

/** The code files and deps whose hashes differ now from the key material of the stage's start. */
function changedWhileRunning(project: Project, stage: NormalStage, h: Hashing, before: KeyMaterial): string[] {
  if (stage.module) h.imports.forget(stage.module);
  const now = evaluate(project, stage, h, new Set()).key.material;
  const differs = (a: Record<string, string>, b: Record<string, string>) =>
    [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
  return [...differs(before.code, now.code), ...differs(before.deps, now.deps)];
}

function toOutputRecord(h: { kind: 'file' | 'dir'; hash: string; size: number; files?: Record<string, unknown> }): OutputRecord {
  const rec: OutputRecord = { kind: h.kind, hash: h.hash, size: h.size };
  if (h.kind === 'dir') rec.files = Object.keys(h.files ?? {}).length;
  return rec;
}

/** Moves staged outputs into place, then writes the lock (atomically). */
function commit(project: Project, stage: NormalStage, h: Hashing, outsDir: string, lock: LockRecord): void {
  for (const o of stage.outs) {
    if (o.verify && typeof o.verify === 'object') lock.outs[o.path]!.values = lockedValues(join(outsDir, o.path), o.verify.fields);
  }
  for (const p of stage.outPaths) {
    const final = join(project.root, p);
    rmSync(final, { recursive: true, force: true });
    mkdirSync(dirname(final), { recursive: true });
    renameSync(join(outsDir, p), final);
    h.stats.forget(p);
  }
  writeLock(project.paths.locks, lock);
}
