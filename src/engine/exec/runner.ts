// Child-process entry: runs one TypeScript stage from its job file (shell stages use
// shell-runner.mjs). The scheduler starts it with the
// tsx loader and an IPC channel; if the scheduler dies (even by kill -9) the channel
// closes and the stage stops with it, so no orphan keeps writing into staging.
import { appendFileSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { StageContext, StageFunction } from '../context.ts';
import { guardParams, getKey } from '../params.ts';
import { InputError } from '../errors.ts';
import type { StageJob, StageMessage } from './job.ts';

/** Messages go over IPC to a local scheduler, or, in a cluster job, to a file it polls. */
function send(msg: StageMessage): void {
  if (process.send && process.connected) process.send(msg);
  else if (process.env.REPRO_MESSAGES) appendFileSync(process.env.REPRO_MESSAGES, JSON.stringify(msg) + '\n');
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
  const mod = await import(pathToFileURL(job.module!).href);
  const fn = mod[job.exportName!] as StageFunction | undefined;
  if (typeof fn !== 'function') {
    throw new InputError(`${job.module} has no exported function '${job.exportName}'`, `export async function ${job.exportName}(ctx: StageContext) from it, or set run.export in pipeline.ts`);
  }
  await (fn as StageFunction)(contextFor(job));
}

let finished = false;
process.on('disconnect', () => {
  if (!finished) process.exit(137);
});
try {
  await main(process.argv[2]!);
  const rss: StageMessage = { type: 'rss', peakRssMB: process.resourceUsage().maxRSS / 1024 };
  if (process.send && process.connected) await new Promise((r) => process.send!(rss, undefined, {}, r));
  else send(rss);
  process.exitCode = 0;
} catch (e) {
  console.error(e instanceof InputError ? `error: ${e.format()}` : e);
  process.exitCode = 1;
}
// Leave even if the stage left handles open.
finished = true;
if (process.connected) process.disconnect?.();
setTimeout(() => process.exit(), 50).unref();
