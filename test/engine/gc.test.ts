// `repro gc` on a throw-away pipeline: what the lock records of every profile name stays and
// restores; everything else goes, and a dry run or a refusal removes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { committedLockKeys } from '../../src/engine/committed-locks.ts';
import { hashFile } from '../../src/engine/hash.ts';
import { git, makePipeline, pipelineSource, repro, type Fixture } from './helpers.ts';

// a reads a param; b follows a; c writes the same bytes whatever runs (shared objects).
const STAGES = `[
  { id: 'a', run: { module: 'stages/t.ts' }, params: ['a.x'], outs: ['out/a.txt'] },
  { id: 'b', run: { module: 'stages/t.ts' }, deps: ['out/a.txt'], outs: ['out/b.txt'] },
  { id: 'c', run: { module: 'stages/t.ts', export: 'constant' }, deps: ['out/a.txt'], outs: ['out/c.txt'] },
]`;

let f: Fixture;
const cacheDir = () => join(f.dir, '.repro', 'cache');
const entryKeys = () => readdirSync(join(cacheDir(), 'runs')).sort();
const objectCount = () => readdirSync(join(cacheDir(), 'objects')).flatMap((p) => readdirSync(join(cacheDir(), 'objects', p))).length;
const objectExists = (hash: string) => existsSync(join(cacheDir(), 'objects', hash.slice(0, 2), hash.slice(2)));
const lockKey = (id: string, profile?: string) => JSON.parse(f.read(join('lockfiles', ...(profile ? [profile] : []), `${id}.json`))).key as string;
const runRecords = (id: string) => readdirSync(join(f.dir, '.repro', 'runs', id)).sort();

async function ok(...args: string[]) {
  const r = await repro(f.dir, ...args);
  expect(r.code, r.err).toBe(0);
  return r;
}

beforeEach(async () => {
  f = makePipeline({
    'pipeline.ts': pipelineSource(STAGES),
    'params.json': JSON.stringify({ a: { x: 1 } }),
    'profiles/alt.json': JSON.stringify({ a: { x: 3 } }),
  });
  await ok('run'); // a.x = 1: will be nobody's any more
  f.write('params.json', JSON.stringify({ a: { x: 2 } }));
  await ok('run'); // the default profile's lock records
  await ok('--profile', 'alt', 'run'); // the alt profile's
  await ok('run'); // back to the default's outputs, from the cache
  f.executed();
});
afterEach(() => f.cleanup());

describe('repro gc', () => {
  it('keeps what some profile’s lock records name and removes the other runs and their objects', async () => {
    const current = hashFile(join(f.dir, 'out/a.txt')).hash;
    const constant = hashFile(join(f.dir, 'out/c.txt')).hash;
    // Three runs of three stages; c's key follows a's output, its bytes never change.
    expect(entryKeys()).toHaveLength(9);
    const before = { entries: entryKeys(), objects: objectCount() };

    const dry = await ok('gc', '--dry-run');
    expect(dry.out).toContain('would remove 3 other entries and 2 objects');
    expect({ entries: entryKeys(), objects: objectCount() }).toEqual(before);

    const r = await ok('gc');
    expect(r.out).toMatch(/kept 6 entries \(\d+ objects, [\d.]+ K?B\), named by the lock records of default, alt;/);
    expect(r.out).toContain('removed 3 other entries and 2 objects');
    const kept = ['a', 'b', 'c'].flatMap((id) => [lockKey(id), lockKey(id, 'alt')]);
    expect(entryKeys()).toEqual([...new Set(kept)].map((k) => `${k}.json`).sort());
    expect(objectExists(current)).toBe(true);
    expect(objectExists(constant)).toBe(true); // shared by the removed run and the kept ones

    // Both profiles' outputs still come back without running anything…
    expect((await ok('status')).out).toContain('3 fresh');
    expect((await ok('--profile', 'alt', 'run')).err).toContain('ran 0, restored 2, fresh 1'); // c: the same bytes
    expect((await ok('run')).err).toContain('ran 0, restored 2, fresh 1');
    expect(f.executed()).toEqual([]);
    // …and the run nobody names any more is computed again.
    f.write('params.json', JSON.stringify({ a: { x: 1 } }));
    await ok('run');
    expect(f.executed()).toEqual(['a', 'b', 'c']);
    // Switched back again, that run is nobody's once more.
    f.write('params.json', JSON.stringify({ a: { x: 2 } }));
    expect((await ok('run')).err).toContain('ran 0, restored 3');
    expect((await ok('gc')).out).toContain('removed 3 other entries and 2 objects');
  });

  it('with --all-branches, also keeps what lock records committed on other branches name', async () => {
    f.write('.gitignore', '.repro/\nout/\nexecuted.log\n');
    git(f.dir, 'init', '-q', '-b', 'main');
    git(f.dir, 'add', '-A');
    git(f.dir, 'commit', '-qm', 'x = 2');
    git(f.dir, 'checkout', '-qb', 'exp');
    f.write('params.json', JSON.stringify({ a: { x: 7 } }));
    await ok('run');
    git(f.dir, 'commit', '-qam', 'x = 7');
    git(f.dir, 'checkout', '-q', 'main');
    await ok('run');
    f.executed();

    // On main alone, exp's run (x = 7) is nobody's, as x = 1's is.
    expect((await ok('gc', '--dry-run')).out).toContain('would remove 6 other entries');
    const r = await ok('gc', '--all-branches');
    expect(r.out).toContain('and by those committed on exp, main;');
    expect(r.out).toContain('removed 3 other entries');
    git(f.dir, 'checkout', '-q', 'exp');
    expect((await ok('run')).err).toContain('ran 0, restored 2, fresh 1');
    expect(f.executed()).toEqual([]);

    const outside = makePipeline({ 'pipeline.ts': pipelineSource('[]') });
    try {
      const refused = await repro(outside.dir, 'gc', '--all-tags');
      expect(refused.code).toBe(2);
      expect(refused.err).toContain('is not in a git repository');
    } finally {
      outside.cleanup();
    }
  });

  it('reads the lock records committed on branches and tags of a project in a subdirectory', async () => {
    const repo = makePipeline({ 'README.md': 'top\n' });
    try {
      const key = (c: string) => c.repeat(64);
      repo.write('study/lockfiles/x.json', JSON.stringify({ key: key('a') }));
      repo.write('study/lockfiles/ci/y.json', JSON.stringify({ key: key('b') }));
      repo.write('lockfiles/outside.json', JSON.stringify({ key: key('c') })); // not the project's
      git(repo.dir, 'init', '-q', '-b', 'main');
      git(repo.dir, 'add', '-A');
      git(repo.dir, 'commit', '-qm', 'one');
      git(repo.dir, 'tag', 'v1');
      repo.write('study/lockfiles/x.json', JSON.stringify({ key: key('d') }));
      git(repo.dir, 'commit', '-qam', 'two');
      const study = join(repo.dir, 'study');
      const branches = await committedLockKeys(study, { branches: true, tags: false });
      expect(branches.refs).toEqual(['main']);
      expect([...branches.keys].sort()).toEqual([key('b'), key('d')]);
      const tags = await committedLockKeys(study, { branches: false, tags: true });
      expect(tags.refs).toEqual(['v1']);
      expect([...tags.keys].sort()).toEqual([key('a'), key('b')]);
    } finally {
      repo.cleanup();
    }
  });

  it('keeps the newest run records per stage and those of kept keys', async () => {
    // a ran three times: x = 1, x = 2, alt; then was restored once.
    const records = runRecords('a');
    expect(records).toHaveLength(4);
    const keyOf = (file: string) => JSON.parse(readFileSync(join(f.dir, '.repro', 'runs', 'a', file), 'utf8')).key as string;
    await ok('gc', '--keep-runs', '0');
    // x = 1's record is nobody's; the others describe outputs that lock records name.
    expect(runRecords('a')).toEqual(records.slice(1));
    expect(runRecords('a').map(keyOf)).toEqual([lockKey('a'), lockKey('a', 'alt'), lockKey('a')]);
    await ok('gc', '--keep-runs', '10');
    expect(runRecords('a')).toEqual(records.slice(1));
  });

  it('removes empty staging and keeps an interrupted stage’s files unless told', async () => {
    const staging = join(f.dir, '.repro', 'staging');
    mkdirSync(join(staging, 'b', 'outs'), { recursive: true });
    mkdirSync(join(staging, 'a', 'work'), { recursive: true });
    writeFileSync(join(staging, 'a', 'work', 'resume.json'), '{"step":3}');
    const r = await ok('gc');
    expect(r.out).toContain('kept .repro/staging/ of a');
    expect(existsSync(join(staging, 'b'))).toBe(false);
    expect(existsSync(join(staging, 'a', 'work', 'resume.json'))).toBe(true);
    await ok('gc', '--staging');
    expect(existsSync(join(staging, 'a'))).toBe(false);
  });

  it('refuses, removing nothing, when a lock record is damaged, a run holds the workspace, cluster jobs are out or a repro exec runs', async () => {
    const before = { entries: entryKeys(), objects: objectCount() };
    const lock = f.read('lockfiles/alt/b.json');
    f.write('lockfiles/alt/b.json', '{ "id": "b"');
    let r = await repro(f.dir, 'gc');
    expect(r.code).toBe(2);
    expect(r.err).toContain('lockfiles/alt/b.json is damaged');
    expect(r.err).toContain('fix: restore it from git');
    f.write('lockfiles/alt/b.json', lock);

    // This test's own process is alive: the lock is held.
    f.write('.repro/run.lock', JSON.stringify({ pid: process.pid, host: hostname(), started: 'now', argv: [] }));
    r = await repro(f.dir, 'gc', '--no-wait');
    expect(r.code).toBe(2);
    expect(r.err).toContain('another repro run holds');
    rmSync(join(f.dir, '.repro/run.lock'));

    // A gc on another host (a shared filesystem) whose liveness this host cannot check.
    f.write('.repro/gc.lock', JSON.stringify({ pid: 4242, host: 'elsewhere', started: 'then', argv: [] }));
    r = await repro(f.dir, 'gc');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`another repro gc holds ${join(f.dir, '.repro/gc.lock')} (pid 4242 on elsewhere, since then)`);
    expect(r.err).toContain(`fix: wait for it to finish, or, if that process is gone from another host, delete ${join(f.dir, '.repro/gc.lock')}`);
    rmSync(join(f.dir, '.repro/gc.lock'));

    f.write('.repro/jobs.json', JSON.stringify({ b: { executor: 'slurm', id: '4242' } }));
    r = await repro(f.dir, 'gc');
    expect(r.code).toBe(2);
    expect(r.err).toContain('b: slurm job 4242');
    rmSync(join(f.dir, '.repro/jobs.json'));

    // A repro exec running beside it: this test's process, alive.
    f.write(`.repro/execs/${hostname()}.${process.pid}.1.json`, JSON.stringify({ stage: 'b', pid: process.pid, host: hostname(), started: 'now', argv: [] }));
    r = await repro(f.dir, 'gc');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`1 stage(s) run by repro exec (b: pid ${process.pid} on ${hostname()} since now)`);
    expect({ entries: entryKeys(), objects: objectCount() }).toEqual(before);
  });

  it('and repro exec keep out of each other\'s way: gc refuses while an exec runs, an exec waits for a gc, a dead exec\'s lease is stale', async () => {
    // An exec's lease left by a process that has exited: gc removes it and goes ahead.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    f.write(`.repro/execs/${hostname()}.${dead}.1.json`, JSON.stringify({ stage: 'a', pid: dead, host: hostname(), started: 'then', argv: [] }));
    await ok('gc');
    expect(readdirSync(join(f.dir, '.repro/execs'))).toEqual([]);

    // A gc holds its lock (this test's process, alive): an exec waits for it, without a lease meanwhile.
    f.write('.repro/gc.lock', JSON.stringify({ pid: process.pid, host: hostname(), started: 'now', argv: ['gc'] }));
    let finished = false;
    const exec = repro(f.dir, 'exec', 'b', '--force').then((r) => ((finished = true), r));
    await new Promise((r) => setTimeout(r, 600));
    expect(finished).toBe(false);
    expect(readdirSync(join(f.dir, '.repro/execs'))).toEqual([]);
    rmSync(join(f.dir, '.repro/gc.lock'));
    const r = await exec;
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`waiting for repro gc (pid ${process.pid} on ${hostname()}, started now) to finish`);
    expect(r.err).toMatch(/b ran/);
    // The lease went with the exec.
    expect(readdirSync(join(f.dir, '.repro/execs'))).toEqual([]);
  });
});
