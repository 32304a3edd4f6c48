// Run records and the checkout facts a stage sees: a run that rewrites its own outputs and
// lock records does not call a clean checkout dirty; a change to what it reads does.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, makePipeline, pipelineSource, repro, type Fixture } from './helpers.ts';

const STAGES = `[
  { id: 'a', run: { module: 'stages/t.ts' }, deps: ['data/in.txt'], outs: ['out/a.txt'] },
  { id: 'who', run: { module: 'stages/t.ts', export: 'provenance' }, deps: ['out/a.txt'], outs: ['out/git.json'] },
]`;

let f: Fixture;
let head: string;

/** Commits the whole tree; returns the new commit. */
function commitAll(message: string): string {
  git(f.dir, 'add', '-A');
  git(f.dir, 'commit', '-qm', message);
  return git(f.dir, 'rev-parse', 'HEAD').trim();
}

beforeEach(async () => {
  f = makePipeline({
    'pipeline.ts': pipelineSource(STAGES),
    'params.json': '{}',
    'data/in.txt': 'input\n',
    '.gitignore': '.repro/\nexecuted.log\n',
  });
  git(f.dir, 'init', '-q');
  head = commitAll('sources');
});
afterEach(() => f.cleanup());

/** The git facts of the newest run record of each stage. */
function recordedGit(): Record<string, unknown> {
  const runs = join(f.dir, '.repro', 'runs');
  return Object.fromEntries(
    readdirSync(runs).map((id) => {
      const newest = readdirSync(join(runs, id)).sort().at(-1)!;
      return [id, JSON.parse(readFileSync(join(runs, id, newest), 'utf8')).git];
    }),
  );
}

describe('checkout facts', () => {
  it('are clean on a committed checkout, though an earlier run left untracked outputs and lock records', async () => {
    expect((await repro(f.dir, 'run')).code).toBe(0);
    expect(git(f.dir, 'status', '--porcelain')).toMatch(/lockfiles\/[^]*out\//);
    const r = await repro(f.dir, 'run', '--force');
    expect(r.code, r.err).toBe(0);
    expect(recordedGit()).toEqual({ a: { commit: head, dirty: false }, who: { commit: head, dirty: false } });
    expect(JSON.parse(f.read('out/git.json'))).toEqual({ commit: head, dirty: false });
  });

  it('stay clean when an earlier run rewrote committed outputs', async () => {
    await repro(f.dir, 'run');
    head = commitAll('results');
    // The committed out/git.json names the commit before; a rerun rewrites it, a tracked file.
    expect((await repro(f.dir, 'run', '--force', 'who')).code).toBe(0);
    expect(git(f.dir, 'status', '--porcelain')).toContain('out/git.json');
    const r = await repro(f.dir, 'run', '--force', 'who');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(f.read('out/git.json'))).toEqual({ commit: head, dirty: false });
  });

  it('are dirty when something the pipeline does not write changed', async () => {
    f.write('data/in.txt', 'edited\n');
    f.write('notes.txt', 'untracked, and no stage writes it\n');
    const r = await repro(f.dir, 'run');
    expect(r.code, r.err).toBe(0);
    expect(recordedGit()).toEqual({ a: { commit: head, dirty: true }, who: { commit: head, dirty: true } });
    expect(JSON.parse(f.read('out/git.json'))).toEqual({ commit: head, dirty: true });
  });
});
