// Child-process entry: runs one TypeScript stage from its job file (shell stages use
// shell-runner.mjs), or, started with --serve, one job after another for the local
// executor's pool. The scheduler starts it with the tsx loader and an IPC channel; if the
// scheduler dies (even by kill -9) the channel closes and a running stage stops with it, so
// no orphan keeps writing into staging.
import { appendFileSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { StageContext, StageFunction } from '../context.ts';
import { guardParams, getKey } from '../params.ts';
import { InputError } from '../errors.ts';
import { SERVE, type PoolMessage, type StageJob, type StageMessage } from './job.ts';

/** Messages go over IPC to a local scheduler, or, in a cluster job, to a file it polls; resolves once the message is out. */
function send(msg: StageMessage | PoolMessage): Promise<void> {
  if (process.send && process.connected) return new Promise((resolve) => process.send!(msg, undefined, {}, () => resolve()));
  if (process.env.REPRO_MESSAGES) appendFileSync(process.env.REPRO_MESSAGES, JSON.stringify(msg) + '\n');
  return Promise.resolve();
}

function contextFor(job: StageJob): StageContext {
  const outs = new Map(job.outs);
  const deps = new Map(job.deps);
  const declared = (map: Map<string, string>, what: string) => (p: string) => {
    const hit = map.get(p) ?? map.get(p.replace(/^\.\//, ''));
    if (hit === undefined) throw new InputError(`stage ${job.id} asked for ${what} '${p}', which it does not declare`, `add '${p}' to the ${what}s of ${job.id} in pipeline.ts (declared: ${[...map.keys()].join(', ') || 'none'})`);
    return hit;
  };
  return {
    id: job.id,
    root: job.root,
    params: guardParams(job.params, job.id, job.paramKeys),
    param: <T,>(key: string): T => {
      if (!job.paramKeys.includes(key) && !job.paramKeys.some((k) => key.startsWith(k + '.'))) {
        throw new InputError(`stage ${job.id} read param '${key}', which it does not declare`, `add '${key}' to the params of ${job.id} in pipeline.ts`);
      }
      return getKey(job.params, key) as T;
    },
    deps: job.deps.map(([, abs]) => abs),
    outs: job.outs.map(([, abs]) => abs),
    out: declared(outs, 'out'),
    dep: declared(deps, 'dep'),
    seed: job.seed ?? 0,
    args: job.args,
    workDir: job.workDir,
    git: job.git,
    log: (...message: unknown[]) => console.log(...message),
    progress: (done, total, label) => send({ type: 'progress', done, total, label }),
    record: (facts) => send({ type: 'record', facts }),
  };
}

async function main(jobFile: string): Promise<void> {
  const job = JSON.parse(readFileSync(jobFile, 'utf8')) as StageJob;
  if (process.cwd() !== job.root) process.chdir(job.root);
  // CUDA reads it when the stage first loads a GPU library, which is after this line.
  if (job.gpuDevices) process.env.CUDA_VISIBLE_DEVICES = job.gpuDevices.join(',');
  const mod = await import(pathToFileURL(job.module!).href);
  const fn = mod[job.exportName!] as StageFunction | undefined;
  if (typeof fn !== 'function') {
    throw new InputError(`${job.module} has no exported function '${job.exportName}'`, `export async function ${job.exportName}(ctx: StageContext) from it, or set run.export in pipeline.ts`);
  }
  await (fn as StageFunction)(contextFor(job));
}

/** Runs the job: null, or why it failed in a line (the whole error goes to the log, on stderr). */
async function runJob(jobFile: string): Promise<string | null> {
  try {
    await main(jobFile);
    return null;
  } catch (e) {
    console.error(e instanceof InputError ? `error: ${e.format()}` : e);
    const line = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
    return line.length > 200 ? `${line.slice(0, 197)}...` : line;
  }
}

/** Whether a job is running: a scheduler that goes away mid-job leaves it killed (137). */
let busy = true;
// process.exit() without an argument keeps process.exitCode; process.exit(undefined) does not (it exits 0).
process.on('disconnect', () => (busy ? process.exit(137) : process.exit()));

/** One job, then exit: a cluster job, or a local stage run in a process of its own. */
async function runOnce(jobFile: string): Promise<void> {
  const error = await runJob(jobFile);
  // Sent before the process leaves: the scheduler reads it with the exit status.
  await send(error === null ? { type: 'rss', peakRssMB: process.resourceUsage().maxRSS / 1024 } : { type: 'error', message: error });
  process.exitCode = error === null ? 0 : 1;
  // Leave even if the stage left handles open.
  busy = false;
  if (process.connected) process.disconnect?.();
  setTimeout(() => process.exit(), 50).unref();
}

/**
 * A pooled process (local.ts): jobs one after another, each stage's output appended to its
 * own log. Once a process has loaded tfjs and the study's modules, a stage starts in
 * milliseconds instead of the ~1.2 s a fresh `node --import tsx` takes. After each job it
 * says whether it can take another: not after a failure, nor when the stage left handles
 * behind (timers, threads, sockets) that could act during the next one.
 */
async function serve(): Promise<void> {
  busy = false;
  const baseline = activeResources();
  const write = (fd: 'stdout' | 'stderr') => process[fd].write.bind(process[fd]);
  const original = { stdout: write('stdout'), stderr: write('stderr') };
  process.on('message', async (raw: unknown) => {
    const m = raw as { type: 'run'; jobFile: string; logFile: string };
    if (m.type !== 'run') return;
    busy = true;
    const toLog = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      appendFileSync(m.logFile, chunk);
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    };
    process.stdout.write = toLog as typeof process.stdout.write;
    process.stderr.write = toLog as typeof process.stderr.write;
    // The process's own peak would include earlier jobs: sample this job's instead.
    let peak = process.memoryUsage.rss();
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), RSS_SAMPLE_MS);
    const error = await runJob(m.jobFile);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage.rss());
    process.stdout.write = original.stdout as typeof process.stdout.write;
    process.stderr.write = original.stderr as typeof process.stderr.write;
    const reusable = error === null && !leftBehind(baseline, activeResources()) && peak < REUSE_BELOW_RSS_BYTES;
    busy = false;
    send({ type: 'finished', error, reusable, peakRssMB: peak / 2 ** 20 });
  });
  send({ type: 'ready' });
}

/** How often a pooled process samples its memory while a job runs. */
const RSS_SAMPLE_MS = 100;
/** A pooled process that grew past this takes no more jobs (memory a stage kept stays kept). */
const REUSE_BELOW_RSS_BYTES = 2 ** 31;

function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

function leftBehind(before: Map<string, number>, after: Map<string, number>): boolean {
  for (const [kind, n] of after) if (n > (before.get(kind) ?? 0)) return true;
  return false;
}

if (process.argv[2] === SERVE) await serve();
else await runOnce(process.argv[2]!);
