// `repro verify`: re-execution in a fresh workspace, compared with the committed lock records.
import { afterEach, describe, expect, it } from 'vitest';
import { compareOutput } from '../../src/engine/verify.ts';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { git, makePipeline, pipelineSource, repro, TEST_STAGES, type Fixture } from './helpers.ts';

let f: Fixture | undefined;
afterEach(() => f?.cleanup());

/** A throw-away repository holding `files` (outputs and .repro ignored), the pipeline at `project` run once and its lock records committed. */
async function committedRun(files: Record<string, string>, project = ''): Promise<{ fixture: Fixture; root: string }> {
  const fixture = makePipeline({ ...files, '.gitignore': '.repro/\nout/\nexecuted.log\n' });
  const root = join(fixture.dir, project);
  expect((await repro(root, 'run')).code).toBe(0);
  git(fixture.dir, 'init', '-q');
  git(fixture.dir, 'add', '-A');
  git(fixture.dir, 'commit', '-qm', 'locks');
  return { fixture, root };
}

describe('repro verify', () => {
  it('passes on an untouched tree, and fails naming the output when a locked hash or value is altered', async () => {
    ({ fixture: f } = await committedRun({
      'pipeline.ts': pipelineSource(`[
        { id: 'data', run: { shell: 'printf "{\\\\"fit\\\\": {\\\\"alpha\\\\": 0.88, \\\\"r2\\\\": 0.97}}" > "$REPRO_OUT_0"' }, outs: [{ path: 'out/fit.json', verify: { fields: ['fit.alpha'], rel: 0.05 } }] },
        { id: 'fig', run: { module: 'stages/t.ts' }, deps: ['out/fit.json'], outs: ['out/fig.txt'] },
      ]`),
    }));

    const ok = await repro(f.dir, 'verify', '--json');
    expect(ok.code, ok.err).toBe(0);
    const report = JSON.parse(ok.out);
    expect(report).toEqual({
      ok: true,
      checks: [
        { stage: 'data', output: 'out/fit.json', kind: 'tolerance', ok: true, detail: '1 value(s) within tolerance' },
        { stage: 'fig', output: 'out/fig.txt', kind: 'exact', ok: true, detail: expect.stringMatching(/^sha256 [0-9a-f]{12}…$/) },
      ],
    });

    const lock = JSON.parse(f.read('lockfiles/data.json'));
    lock.outs['out/fit.json'].values['fit.alpha'] = 0.5;
    f.write('lockfiles/data.json', JSON.stringify(lock));
    const figLock = JSON.parse(f.read('lockfiles/fig.json'));
    figLock.outs['out/fig.txt'].hash = 'f'.repeat(64);
    f.write('lockfiles/fig.json', JSON.stringify(figLock));
    git(f.dir, 'commit', '-qam', 'tampered');
    const bad = await repro(f.dir, 'verify');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/differs data out\/fit.json \(tolerance\): fit.alpha: 0.88 vs locked 0.5/);
    expect(bad.out).toMatch(/differs fig out\/fig.txt \(exact\): sha256 [0-9a-f]{12}… ≠ locked ffffffffffff…/);
    expect(bad.out).toContain('FAILED: 2 of 2 outputs differ');
  });

  it('verifies only the targets and what they need', async () => {
    ({ fixture: f } = await committedRun({
      'pipeline.ts': pipelineSource(`[
        { id: 'a', run: { module: 'stages/t.ts' }, outs: ['out/a.txt'] },
        { id: 'b', run: { module: 'stages/t.ts' }, deps: ['out/a.txt'], outs: ['out/b.txt'] },
        { id: 'other', run: { module: 'stages/t.ts' }, outs: ['out/other.txt'] },
      ]`),
    }));
    // A broken lock record outside the targets does not matter to them.
    const other = JSON.parse(f.read('lockfiles/other.json'));
    other.outs['out/other.txt'].hash = 'f'.repeat(64);
    f.write('lockfiles/other.json', JSON.stringify(other));
    git(f.dir, 'commit', '-qam', 'tampered other');

    const r = await repro(f.dir, 'verify', '--keep', 'b');
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n').filter((l) => l.startsWith('ok')).map((l) => l.split(/\s+/)[1])).toEqual(['a', 'b']);
    expect(r.out).toContain('verified: all 2 outputs reproduce');
    const kept = r.out.match(/fresh workspace kept at (\S+)/)![1]!;
    try {
      expect(existsSync(join(kept, 'out/b.txt'))).toBe(true);
      expect(existsSync(join(kept, 'out/other.txt'))).toBe(false);
    } finally {
      rmSync(kept, { recursive: true, force: true });
    }
    expect((await repro(f.dir, 'verify', 'other')).code).toBe(1);
    const typo = await repro(f.dir, 'verify', 'othr');
    expect(typo.code).toBe(2);
    expect(typo.err).toContain('did you mean other?');
  });

  it('works for a project in a subdirectory of its repository', async () => {
    const run = await committedRun(
      {
        'study/pipeline.ts': pipelineSource(`[{ id: 'fig', run: { module: 'stages/t.ts' }, outs: ['out/fig.txt'] }]`),
        'study/stages/t.ts': TEST_STAGES,
        'study/package.json': JSON.stringify({ private: true, type: 'module' }),
      },
      'study',
    );
    f = run.fixture;
    const study = run.root;
    const r = await repro(study, 'verify', '--json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).checks).toEqual([{ stage: 'fig', output: 'out/fig.txt', kind: 'exact', ok: true, detail: expect.stringMatching(/^sha256 /) }]);
  });

  it('compares values within absolute and relative tolerances', () => {
    const lock = (values: Record<string, number>) => ({ engine: 1, id: 's', key: '0'.repeat(64), material: {} as never, outs: { o: { kind: 'file' as const, hash: '1'.repeat(64), size: 1, values } } });
    const tol = { fields: ['x'], abs: 0.01, rel: 0.1 };
    expect(compareOutput('s', 'o', tol, lock({ x: 1 }), lock({ x: 1.1 })).ok).toBe(true);
    expect(compareOutput('s', 'o', tol, lock({ x: 1 }), lock({ x: 1.12 })).ok).toBe(false);
    expect(compareOutput('s', 'o', tol, lock({ x: 1 }), lock({ x: 1, y: 2 })).detail).toBe('y: 2 is new (not in the lock record)');
    expect(compareOutput('s', 'o', 'exact', null, lock({})).detail).toContain('no committed lock record');
  });
});
