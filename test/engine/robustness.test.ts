// Crash safety, concurrent runs, parallelism, failures, and a property test over random DAGs.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { makePipeline, pipelineSource, repro, reproProcess, waitUntil, type Fixture } from './helpers.ts';

let f: Fixture | undefined;
afterEach(() => f?.cleanup());

describe('crash safety', () => {
  it('survives kill -9 of the scheduler mid-stage: earlier outputs and lock intact, only that stage redone', async () => {
    f = makePipeline({
      'pipeline.ts': pipelineSource(`[
        { id: 'a', run: { module: 'stages/t.ts' }, outs: ['out/a.txt'] },
        { id: 'b', run: { module: 'stages/t.ts' }, deps: ['out/a.txt'], params: ['b.y'], outs: ['out/b.txt'], args: { waitFor: 'go' } },
      ]`),
      'params.json': JSON.stringify({ b: { y: 1 } }),
      go: '',
    });
    expect((await repro(f.dir, 'run')).code).toBe(0);
    f.executed();
    const outBefore = f.read('out/b.txt');
    const lockBefore = f.read('lockfiles/b.json');

    rmSync(join(f.dir, 'go'));
    f.write('params.json', JSON.stringify({ b: { y: 2 } }));
    const proc = reproProcess(f.dir, ['run']);
    await waitUntil(() => f!.events().filter((e) => e.id === 'b' && e.what === 'start').length === 2, 'stage b to start');
    proc.kill('SIGKILL');
    await proc;
    expect(f.read('out/b.txt')).toBe(outBefore);
    expect(f.read('lockfiles/b.json')).toBe(lockBefore);
    expect(existsSync(join(f.dir, '.repro/run.lock'))).toBe(true); // left behind by the dead scheduler
    await new Promise((r) => setTimeout(r, 300)); // an orphaned stage would still be running now

    f.write('go', '');
    f.executed();
    const rerun = await repro(f.dir, 'run');
    expect(rerun.code, rerun.err).toBe(0);
    expect(rerun.err).toMatch(/removed a stale run lock left by pid \d+/);
    expect(f.executed()).toEqual(['b']);
    // The killed stage's process died with its scheduler: exactly one more completion of b.
    expect(f.events().filter((e) => e.id === 'b' && e.what === 'end')).toHaveLength(2);
    expect(JSON.parse(f.read('out/b.txt')).params).toEqual({ b: { y: 2 } });
    const st = JSON.parse((await repro(f.dir, 'status', '--json')).out);
    expect(st.stages.map((s: { state: string }) => s.state)).toEqual(['fresh', 'fresh']);
  });

  it('discards the outputs of a stage whose code or deps changed while it ran, and reruns it next time', async () => {
    f = makePipeline({
      'pipeline.ts': pipelineSource(`[{ id: 'a', run: { module: 'stages/t.ts' }, deps: ['data/in.txt'], outs: ['out/a.txt'], args: { waitFor: 'go' } }]`),
      'data/in.txt': 'v1',
      go: '',
    });
    expect((await repro(f.dir, 'run')).code).toBe(0);
    const outBefore = f.read('out/a.txt');
    const lockBefore = f.read('lockfiles/a.json');
    const editDuringRun = async (edit: () => void) => {
      rmSync(join(f!.dir, 'go'));
      f!.write('data/in.txt', `${f!.read('data/in.txt')}+`); // stale now, so the run starts it
      const starts = f!.events().filter((e) => e.id === 'a' && e.what === 'start').length;
      const proc = reproProcess(f!.dir, ['run']);
      await waitUntil(() => f!.events().filter((e) => e.id === 'a' && e.what === 'start').length > starts, 'stage a to start');
      edit();
      f!.write('go', '');
      return proc;
    };

    const depEdit = await editDuringRun(() => f!.write('data/in.txt', 'v3'));
    expect(depEdit.exitCode).toBe(1);
    expect(depEdit.all).toMatch(/data\/in\.txt changed while the stage ran, so its outputs may not match its key; they were discarded \(run again\)/);
    expect(f.read('out/a.txt')).toBe(outBefore);
    expect(f.read('lockfiles/a.json')).toBe(lockBefore);

    const codeEdit = await editDuringRun(() => f!.write('stages/t.ts', `${f!.read('stages/t.ts')}\n// edited during the run\n`));
    expect(codeEdit.exitCode).toBe(1);
    expect(codeEdit.all).toMatch(/stages\/t\.ts changed while the stage ran/);
    expect(f.read('lockfiles/a.json')).toBe(lockBefore);

    const rerun = await repro(f.dir, 'run');
    expect(rerun.code, rerun.err).toBe(0);
    expect(JSON.parse(f.read('out/a.txt')).deps).toEqual(['v3+']);
    const st = JSON.parse((await repro(f.dir, 'status', '--json')).out);
    expect(st.stages[0].state).toBe('fresh');
  });

  it('leaves the previous outputs and lock when a stage fails or forgets an output', async () => {
    f = makePipeline({
      'pipeline.ts': pipelineSource(`[{ id: 'a', run: { module: 'stages/t.ts' }, params: ['a'], outs: ['out/a.txt'], args: { fail: params.a === 2 } },
                                      { id: 'b', run: { shell: 'true' }, outs: ['out/b.txt'] }]`),
      'params.json': JSON.stringify({ a: 1 }),
    });
    await repro(f.dir, 'run', 'a');
    const before = f.read('out/a.txt');
    f.write('params.json', JSON.stringify({ a: 2 }));
    const r = await repro(f.dir, 'run', '--keep-going');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/failed: a: asked to fail \(log: .*\.repro\/logs\/a\.log\)/);
    expect(r.err).toContain('failed: b: did not write declared output out/b.txt');
    expect(f.read('out/a.txt')).toBe(before);
    expect(f.read('.repro/logs/a.log')).toContain('asked to fail');
  });
});

describe('scheduling', () => {
  const two = (extra: string) =>
    pipelineSource(`[
      { id: 'p', run: { module: 'stages/t.ts' }, outs: ['out/p.txt'], args: { sleepMs: 1500 }${extra} },
      { id: 'q', run: { module: 'stages/t.ts' }, outs: ['out/q.txt'], args: { sleepMs: 1500 }${extra} },
    ]`);
  const overlap = (fx: Fixture) => {
    const ev = fx.events();
    const t = (id: string, what: string) => ev.find((e) => e.id === id && e.what === what)!.t;
    return Math.max(t('p', 'start'), t('q', 'start')) < Math.min(t('p', 'end'), t('q', 'end'));
  };

  it('overlaps independent stages up to --jobs', async () => {
    f = makePipeline({ 'pipeline.ts': two('') });
    expect((await repro(f.dir, 'run', '--jobs', '2')).code).toBe(0);
    expect(overlap(f)).toBe(true);
  });

  it('runs one at a time with --jobs 1, and within declared cpus', async () => {
    f = makePipeline({ 'pipeline.ts': two('') });
    await repro(f.dir, 'run', '--jobs', '1');
    expect(overlap(f)).toBe(false);
    f.cleanup();
    f = makePipeline({ 'pipeline.ts': two(`, resources: { cpus: 2 }`) });
    await repro(f.dir, 'run', '--jobs', '2');
    expect(overlap(f)).toBe(false);
  });

  it('refuses a stage that needs more GPUs than the machine has', async () => {
    f = makePipeline({ 'pipeline.ts': two(`, resources: { gpus: 64 }`) });
    const r = await repro(f.dir, 'run');
    expect(r.code).toBe(2);
    expect(r.err).toContain('stage p needs 64 GPU(s)');
  });

  it('stops dependents of a failure; --keep-going still runs independent stages', async () => {
    const src = pipelineSource(`[
      { id: 'bad', run: { module: 'stages/t.ts' }, outs: ['out/bad.txt'], args: { fail: true } },
      { id: 'after', run: { module: 'stages/t.ts' }, deps: ['out/bad.txt'], outs: ['out/after.txt'] },
      { id: 'other', run: { module: 'stages/t.ts' }, outs: ['out/other.txt'], args: { sleepMs: 200 } },
    ]`);
    f = makePipeline({ 'pipeline.ts': src });
    const r = await repro(f.dir, 'run', '--keep-going', '--jobs', '1');
    expect(r.code).toBe(1);
    expect(f.executed()).toEqual(['bad', 'other']);
    expect(r.err).toContain('skipped: upstream bad did not complete');
    expect(r.err).toMatch(/ran 1, restored 0, fresh 0, failed 1, skipped 1/);
  });

  it('keeps two concurrent runs from colliding: the second waits, nothing runs twice', async () => {
    f = makePipeline({
      'pipeline.ts': pipelineSource(`[
        { id: 'a', run: { module: 'stages/t.ts' }, outs: ['out/a.txt'], args: { sleepMs: 500 } },
        { id: 'b', run: { module: 'stages/t.ts' }, deps: ['out/a.txt'], outs: ['out/b.txt'] },
      ]`),
    });
    const [r1, r2] = await Promise.all([reproProcess(f.dir, ['run']), reproProcess(f.dir, ['run'])]);
    expect(r1.exitCode, r1.all).toBe(0);
    expect(r2.exitCode, r2.all).toBe(0);
    expect(f.executed()).toEqual(['a', 'b']);
    expect(`${r1.all}${r2.all}`).toMatch(/waiting for the run of pid \d+/);
    const noWait = reproProcess(f.dir, ['run']);
    const held = await reproProcess(f.dir, ['run', '--no-wait']);
    await noWait;
    // Either it found the lock held (exit 2, naming the holder) or it came after the first finished.
    if (held.exitCode === 2) expect(held.all).toMatch(/another repro run holds .*run.lock \(pid \d+/);
    else expect(held.exitCode).toBe(0);
  });
});

describe('random DAGs (property)', () => {
  it('after run every stage is fresh, and every edge was respected', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 6 }).chain((n) =>
          fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), { maxLength: 10 })),
        ),
        async ([n, pairs]) => {
          const edges = pairs.filter(([a, b]) => a < b);
          const stages = Array.from({ length: n }, (_, i) => {
            const deps = [...new Set(edges.filter(([, b]) => b === i).map(([a]) => `'out/s${a}.txt'`))];
            return `{ id: 's${i}', run: { module: 'stages/t.ts' }, deps: [${deps.join(',')}], outs: ['out/s${i}.txt'] }`;
          });
          // Declared in reverse so that declaration order is no hint to the scheduler.
          const fx = makePipeline({ 'pipeline.ts': pipelineSource(`[${stages.reverse().join(',')}]`) });
          try {
            const r = await repro(fx.dir, 'run', '--jobs', '2');
            expect(r.code, r.err).toBe(0);
            const st = JSON.parse((await repro(fx.dir, 'status', '--json')).out);
            expect(st.stages.every((s: { state: string }) => s.state === 'fresh')).toBe(true);
            const ev = fx.events();
            const t = (i: number, what: string) => ev.find((e) => e.id === `s${i}` && e.what === what)!.t;
            for (const [a, b] of edges) expect(t(a, 'end')).toBeLessThanOrEqual(t(b, 'start'));
            expect(fx.executed()).toHaveLength(n);
          } finally {
            fx.cleanup();
          }
        },
      ),
      { numRuns: 6, seed: 20261123 },
    );
  });
});
