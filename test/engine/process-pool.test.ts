// The local executor's pool of stage processes (exec/local.ts, runner.ts --serve).
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINE, makePipeline, pipelineSource, repro, type Fixture } from './helpers.ts';

let f: Fixture | undefined;
afterEach(() => f?.cleanup());

/** Stages that say which process ran them, in their output and in their log. */
const POOL_STAGES = `
import { writeFileSync } from 'node:fs';
import type { StageContext } from '${ENGINE}';

export async function whoami(ctx: StageContext) {
  console.log('hello from ' + ctx.id);
  console.error('and on stderr, ' + ctx.id);
  writeFileSync(ctx.outs[0]!, String(process.pid));
}

/** Leaves a timer running: whatever it does next would happen during another stage. */
export async function leaky(ctx: StageContext) {
  setInterval(() => {}, 60_000);
  writeFileSync(ctx.outs[0]!, String(process.pid));
}

export async function failing(ctx: StageContext) {
  console.log('pid ' + process.pid);
  writeFileSync(ctx.outs[0]!, String(process.pid));
  throw new Error('this stage fails on purpose');
}
`;

/** A chain of stages (each depends on the one before, so they run in this order), by export name. */
function chain(exports: string[]): string {
  const stages = exports.map((e, i) => `{ id: 's${i}', run: { module: 'stages/pool.ts', export: '${e}' }, ${i > 0 ? `deps: ['out/s${i - 1}.txt'], ` : ''}outs: ['out/s${i}.txt'] }`);
  return pipelineSource(`[${stages.join(',\n')}]`);
}

function pids(f: Fixture, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Number(f.read(`out/s${i}.txt`)));
}

describe('pooled stage processes', () => {
  it('run stage after stage in one process, each stage writing only its own log', async () => {
    f = makePipeline({ 'stages/pool.ts': POOL_STAGES, 'pipeline.ts': chain(['whoami', 'whoami', 'whoami']) });
    expect((await repro(f.dir, 'run')).code).toBe(0);
    const [a, b, c] = pids(f, 3);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(a).not.toBe(process.pid);
    for (const id of ['s0', 's1', 's2']) {
      const log = f.read(`.repro/logs/${id}.log`);
      expect(log).toContain(`hello from ${id}`);
      expect(log).toContain(`and on stderr, ${id}`);
      expect(log.match(/hello from/g)).toHaveLength(1);
    }
  });

  it('give no further stage to a process whose stage left a handle behind or failed', async () => {
    f = makePipeline({ 'stages/pool.ts': POOL_STAGES, 'pipeline.ts': chain(['whoami', 'leaky', 'whoami']) });
    expect((await repro(f.dir, 'run')).code).toBe(0);
    const [a, b, c] = pids(f, 3);
    expect(a).toBe(b);
    expect(c).not.toBe(b);

    f.write('pipeline.ts', pipelineSource(`[
      { id: 'x', run: { module: 'stages/pool.ts', export: 'failing' }, outs: ['out/x.txt'] },
      { id: 'y', run: { module: 'stages/pool.ts', export: 'whoami' }, outs: ['out/y.txt'] },
    ]`));
    const r = await repro(f.dir, 'run', '--keep-going', '--jobs', '1');
    expect(r.code).toBe(1);
    // The failure reads as the stage's own error, with its log.
    expect(r.err).toMatch(/failed: x: this stage fails on purpose \(log: .*x\.log\)/);
    expect(f.read('.repro/logs/x.log')).toContain('this stage fails on purpose');
    expect(f.exists('out/x.txt')).toBe(false);
    const failedIn = Number(/pid (\d+)/.exec(f.read('.repro/logs/x.log'))![1]);
    expect(Number(f.read('out/y.txt'))).not.toBe(failedIn);
  });

  it('are not used for a stage that declares a GPU, whose process would keep the device memory', async () => {
    const stages = ['0', '1', '0'].map((gpus, i) => `{ id: 's${i}', run: { module: 'stages/pool.ts', export: 'whoami' }, ${i > 0 ? `deps: ['out/s${i - 1}.txt'], ` : ''}outs: ['out/s${i}.txt'], resources: { gpus: ${gpus} } }`);
    f = makePipeline({ 'stages/pool.ts': POOL_STAGES, 'pipeline.ts': pipelineSource(`[${stages.join(',')}]`) });
    process.env.REPRO_GPUS = '1';
    try {
      expect((await repro(f.dir, 'run')).code).toBe(0);
    } finally {
      delete process.env.REPRO_GPUS;
    }
    const [a, b, c] = pids(f, 3);
    expect(b).not.toBe(a);
    expect(c).toBe(a);
  });

  it('are not used with --fresh-processes: every stage gets a process of its own', async () => {
    f = makePipeline({ 'stages/pool.ts': POOL_STAGES, 'pipeline.ts': chain(['whoami', 'whoami', 'whoami']) });
    expect((await repro(f.dir, 'run', '--fresh-processes')).code).toBe(0);
    expect(new Set(pids(f, 3)).size).toBe(3);
    expect(f.read('.repro/logs/s1.log')).toContain('hello from s1');
    // A failure reads the same as in a pooled process: the stage's own error line.
    f.write('pipeline.ts', pipelineSource(`[{ id: 'x', run: { module: 'stages/pool.ts', export: 'failing' }, outs: ['out/x.txt'] }]`));
    const r = await repro(f.dir, 'run', '--fresh-processes');
    expect(r.err).toMatch(/failed: x: this stage fails on purpose \(log: .*x\.log\)/);
  });
});
