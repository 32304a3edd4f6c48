// Incremental runs and status on throw-away pipelines: exactly the stale stages rerun.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync, rmSync } from 'node:fs';
import { assertValid } from '../../src/engine/json.ts';
import { makePipeline, pipelineSource, repro, REPO, type Fixture } from './helpers.ts';

// a → b → c, and d alone; lib.ts is imported by b's module only.
const STAGES = `[
  { id: 'a', run: { module: 'stages/t.ts' }, deps: ['data/in.txt'], params: ['a.x'], outs: ['out/a.txt'] },
  { id: 'b', run: { module: 'stages/b.ts' }, deps: ['out/a.txt'], params: ['b.y'], outs: ['out/b.txt'] },
  { id: 'c', run: { module: 'stages/t.ts' }, deps: ['out/b.txt'], outs: [{ path: 'out/c.txt', verify: 'exact' }] },
  { id: 'd', run: { module: 'stages/t.ts' }, deps: ['data/other.txt'], params: ['shared.z'], outs: ['out/d'] },
]`;

const B_STAGE = `import { run as base } from './t.ts';\nimport { helper } from './lib.ts';\nexport async function run(ctx: any) { helper(); await base(ctx); }\n`;

let f: Fixture;
beforeEach(async () => {
  f = makePipeline({
    'pipeline.ts': pipelineSource(STAGES),
    'params.json': JSON.stringify({ a: { x: 1 }, b: { y: 2 }, shared: { z: 3 }, unused: 0 }),
    'data/in.txt': 'input\n',
    'data/other.txt': 'other\n',
    'stages/b.ts': B_STAGE,
    'stages/lib.ts': 'export function helper() { return 1; }\n',
    'stages/unrelated.ts': 'export const x = 1;\n',
  });
  const r = await repro(f.dir, 'run');
  expect(r.code, r.err).toBe(0);
  expect(f.executed()).toEqual(['a', 'b', 'c', 'd']);
});
afterEach(() => f.cleanup());

const setParams = (p: object) => f.write('params.json', JSON.stringify(p));
const base = { a: { x: 1 }, b: { y: 2 }, shared: { z: 3 }, unused: 0 };

async function statusJson() {
  const r = await repro(f.dir, 'status', '--json');
  expect(r.code, r.err).toBe(0);
  const data = JSON.parse(r.out);
  assertValid(join(REPO, 'schemas', 'status.schema.json'), data, 'status --json');
  return data as { stages: { id: string; state: string; reasons: any[] }[] };
}

describe('repro run', () => {
  it('does nothing when nothing changed', async () => {
    const r = await repro(f.dir, 'run');
    expect(r.code).toBe(0);
    expect(f.executed()).toEqual([]);
    expect(r.err).toContain('ran 0, restored 0, fresh 4');
  });

  it('reruns exactly the stages that declare a changed key, and their dependents', async () => {
    setParams({ ...base, b: { y: 5 } });
    const st = await statusJson();
    expect(st.stages.map((s) => [s.id, s.state])).toEqual([['a', 'fresh'], ['b', 'stale'], ['c', 'stale'], ['d', 'fresh']]);
    expect(st.stages[1]!.reasons).toEqual([{ kind: 'param', key: 'b.y', old: 2, new: 5, message: 'params.json: b.y 2 → 5' }]);
    expect(st.stages[2]!.reasons).toEqual([{ kind: 'upstream', path: 'b', message: 'upstream b will rerun' }]);
    await repro(f.dir, 'run');
    expect(f.executed()).toEqual(['b', 'c']);
  });

  it('reruns nothing after an unrelated edit', async () => {
    setParams({ ...base, unused: 42 });
    f.write('stages/unrelated.ts', 'export const x = 2;\n');
    f.write('notes.md', 'hello\n');
    expect((await statusJson()).stages.every((s) => s.state === 'fresh')).toBe(true);
    await repro(f.dir, 'run');
    expect(f.executed()).toEqual([]);
  });

  it('makes only the importing stage stale when a helper module changes', async () => {
    f.write('stages/lib.ts', 'export function helper() { return 2; }\n');
    const st = await statusJson();
    expect(st.stages.find((s) => s.id === 'b')!.reasons).toEqual([{ kind: 'code', path: 'stages/lib.ts', message: 'code: stages/lib.ts changed' }]);
    expect(st.stages.find((s) => s.id === 'a')!.state).toBe('fresh');
    expect(st.stages.find((s) => s.id === 'd')!.state).toBe('fresh');
    await repro(f.dir, 'run');
    // b writes the same bytes (its output does not depend on lib.ts), so c is cut off.
    expect(f.executed()).toEqual(['b']);
  });

  it('keys on the modules a stage starts as workers (new URL(..., import.meta.url)), which no import names', async () => {
    f.write('stages/worker.ts', 'export const answer = 1;\n');
    f.write('stages/spawner.ts', `import { run as base } from './t.ts';\nexport const workerUrl = new URL('./worker.ts', import.meta.url);\nexport async function run(ctx: any) { await base(ctx); }\n`);
    f.write('pipeline.ts', pipelineSource(`[
      { id: 's', run: { module: 'stages/spawner.ts' }, outs: ['out/s.txt'] },
      { id: 'q', run: { module: 'stages/t.ts' }, outs: ['out/q.txt'] },
    ]`));
    let r = await repro(f.dir, 'run');
    expect(r.code, r.err).toBe(0);
    f.executed();
    expect(Object.keys(JSON.parse(f.read('lockfiles/s.json')).material.code)).toContain('stages/worker.ts');

    f.write('stages/worker.ts', 'export const answer = 2;\n');
    const st = await statusJson();
    expect(st.stages.find((s) => s.id === 's')!.reasons.map((x) => x.message)).toEqual(['code: stages/worker.ts changed']);
    expect(st.stages.find((s) => s.id === 'q')!.state).toBe('fresh');
    r = await repro(f.dir, 'run');
    expect(r.code, r.err).toBe(0);
    expect(f.executed()).toEqual(['s']);
  });

  it('keys on the installed versions of the packages a stage imports by name or declares, and of what those depend on, and says which changed', async () => {
    const install = (name: string, version: string, manifest: object = {}) => {
      f.write(`node_modules/${name}/package.json`, JSON.stringify({ name, version, type: 'module', main: 'index.js', ...manifest }));
      f.write(`node_modules/${name}/index.js`, 'export const value = 1;\n');
    };
    // fakepkg depends on fakedep; its platform build and its types are not installed.
    const fakepkg = (version: string) =>
      install('fakepkg', version, { dependencies: { fakedep: '^1.0.0', '@types/fakepkg': '*' }, optionalDependencies: { 'fakepkg-linux-x64': version } });
    fakepkg('1.0.0');
    install('fakedep', '1.0.0');
    f.write('stages/p.ts', `import { value } from 'fakepkg/index.js';\nimport { run as base } from './t.ts';\nexport async function run(ctx: any) { if (value !== 1) throw new Error('no value'); await base(ctx); }\n`);
    // p imports fakepkg (by a subpath) and declares ghostpkg, which is not installed; q imports neither.
    f.write('pipeline.ts', pipelineSource(`[
      { id: 'p', run: { module: 'stages/p.ts' }, packages: ['ghostpkg'], outs: ['out/p.txt'] },
      { id: 'q', run: { module: 'stages/t.ts' }, outs: ['out/q.txt'] },
    ]`));
    let r = await repro(f.dir, 'run');
    expect(r.code, r.err).toBe(0);
    f.executed();
    expect(JSON.parse(f.read('lockfiles/p.json')).material.packages).toEqual({ fakedep: '1.0.0', fakepkg: '1.0.0', ghostpkg: null });
    expect(JSON.parse(f.read('lockfiles/q.json')).material.packages).toEqual({});

    // An update beneath fakepkg alone makes p stale.
    install('fakedep', '1.0.1');
    let st = await statusJson();
    expect(st.stages.find((s) => s.id === 'p')!.reasons.map((x) => x.message)).toEqual(['code: package fakedep 1.0.0 → 1.0.1']);
    install('fakedep', '1.0.0');

    fakepkg('1.1.0');
    install('ghostpkg', '0.1.0');
    install('fakepkg-linux-x64', '1.1.0');
    st = await statusJson();
    expect(st.stages.find((s) => s.id === 'p')!.reasons.map((x) => x.message)).toEqual([
      'code: package fakepkg 1.0.0 → 1.1.0',
      'code: package fakepkg-linux-x64 (not a dependency) → 1.1.0',
      'code: package ghostpkg (not installed) → 0.1.0',
    ]);
    expect(st.stages.find((s) => s.id === 'q')!.state).toBe('fresh');
    r = await repro(f.dir, 'run');
    expect(r.code, r.err).toBe(0);
    expect(f.executed()).toEqual(['p']);

    // Back to the installs of the first run: its outputs come back from the run cache.
    fakepkg('1.0.0');
    for (const name of ['ghostpkg', 'fakepkg-linux-x64']) rmSync(join(f.dir, `node_modules/${name}`), { recursive: true });
    r = await repro(f.dir, 'run');
    expect(r.code, r.err).toBe(0);
    expect(f.executed()).toEqual([]);
    expect(r.err).toMatch(/restored 1/);
  });

  it('cuts off downstream stages when an upstream rerun writes identical bytes', async () => {
    f.write('pipeline.ts', pipelineSource(STAGES.replace("id: 'a', run: { module: 'stages/t.ts' }", "id: 'a', run: { module: 'stages/t.ts', export: 'constant' }")));
    await repro(f.dir, 'run');
    expect(f.executed()).toEqual(['a', 'b', 'c']); // a's code changed; its new output differs once
    setParams({ ...base, a: { x: 99 } });
    const st = await statusJson();
    expect(st.stages.find((s) => s.id === 'b')!.state).toBe('stale'); // until a has rerun
    const r = await repro(f.dir, 'run');
    expect(f.executed()).toEqual(['a']);
    expect(r.err).toContain('ran 1, restored 0, fresh 3');
  });

  it('restores outputs from the run cache when a param is switched back, running no stage code', async () => {
    const before = f.read('out/c.txt');
    setParams({ ...base, a: { x: 2 } });
    await repro(f.dir, 'run');
    expect(f.executed()).toEqual(['a', 'b', 'c']);
    expect(f.read('out/c.txt')).not.toBe(before);
    setParams(base);
    const r = await repro(f.dir, 'run');
    expect(r.code).toBe(0);
    expect(f.executed()).toEqual([]);
    expect(r.err).toContain('restored 3');
    expect(f.read('out/c.txt')).toBe(before);
    expect((await statusJson()).stages.every((s) => s.state === 'fresh')).toBe(true);
  });

  it('detects a corrupted cache object, says so, and reruns the stage', async () => {
    const lock = JSON.parse(f.read('lockfiles/a.json'));
    const hash = lock.outs['out/a.txt'].hash as string;
    setParams({ ...base, a: { x: 2 } });
    await repro(f.dir, 'run');
    f.executed();
    f.write(`.repro/cache/objects/${hash.slice(0, 2)}/${hash.slice(2)}`, 'garbage');
    setParams(base);
    const r = await repro(f.dir, 'run');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/a: cache object \.repro\/cache\/objects\/..\/\w+ is corrupted .*running the stage instead/);
    expect(f.executed()).toEqual(['a']); // b and c restore from intact objects
    expect(JSON.parse(f.read('lockfiles/a.json')).outs['out/a.txt'].hash).toBe(hash);
  });

  it('reports outputs that were deleted or edited, and repairs them', async () => {
    f.write('out/b.txt', 'tampered');
    const { rmSync } = await import('node:fs');
    rmSync(join(f.dir, 'out/d'), { recursive: true, force: true });
    const st = await statusJson();
    expect(st.stages.find((s) => s.id === 'b')!.reasons).toEqual([{ kind: 'output', path: 'out/b.txt', message: 'output out/b.txt modified' }]);
    expect(st.stages.find((s) => s.id === 'd')!.reasons).toEqual([{ kind: 'output', path: 'out/d', message: 'output out/d missing' }]);
    const r = await repro(f.dir, 'run');
    expect(r.err).toContain('restored 2');
    expect(f.executed()).toEqual([]);
    expect((await statusJson()).stages.every((s) => s.state === 'fresh')).toBe(true);
  });

  it('names every reason with values in the text output', async () => {
    setParams({ ...base, a: { x: 7 } });
    f.write('data/other.txt', 'changed\n');
    const r = await repro(f.dir, 'status');
    expect(r.out).toContain('stale   a\n          params.json: a.x 1 → 7');
    expect(r.out).toContain('stale   d\n          dep data/other.txt changed');
    expect(r.out).toContain('upstream a will rerun');
    expect(r.out).toContain('0 fresh, 4 stale, 0 missing');
  });

  it('reports never-run stages as missing', async () => {
    f.write('pipeline.ts', pipelineSource(STAGES.replace(/,\s*\]$/, ", { id: 'e', run: { module: 'stages/t.ts' }, deps: ['out/d'], outs: ['out/e.txt'] }]")));
    const st = await statusJson();
    expect(st.stages.find((s) => s.id === 'e')).toEqual({ id: 'e', state: 'missing', reasons: [{ kind: 'new', message: 'never run (no lock record)' }] });
  });

  it('runs only the targets and what they need', async () => {
    setParams({ a: { x: 3 }, b: { y: 3 }, shared: { z: 4 }, unused: 0 });
    await repro(f.dir, 'run', 'b');
    expect(f.executed()).toEqual(['a', 'b']);
    const dry = await repro(f.dir, 'run', '--dry-run');
    expect(dry.out).toContain('would run c: dep out/b.txt changed');
    expect(dry.out).toContain('would run d: params.json: shared.z 3 → 4');
    expect(f.executed()).toEqual([]);
  });

  it('--force reruns fresh stages without the cache', async () => {
    await repro(f.dir, 'run', '--force', 'd');
    expect(f.executed()).toEqual(['d']);
  });

  it('writes deterministic lock records with no volatile fields, and run records beside them', async () => {
    const text = f.read('lockfiles/c.json');
    expect(text).not.toMatch(/"(start|host|node|duration|time)/i);
    expect(JSON.parse(text).outs['out/c.txt'].hash).toMatch(/^[0-9a-f]{64}$/);
    const { readdirSync } = await import('node:fs');
    const recs = readdirSync(join(f.dir, '.repro/runs/c'));
    const rec = JSON.parse(readFileSync(join(f.dir, '.repro/runs/c', recs[0]!), 'utf8'));
    expect(rec).toMatchObject({ id: 'c', outcome: 'ran', node: process.version });
    expect(typeof rec.peakRssMB).toBe('number');
  });

  it('gives each stage only its declared params; reading another key fails the stage', async () => {
    expect(JSON.parse(f.read('out/a.txt')).params).toEqual({ a: { x: 1 } });
    f.write('pipeline.ts', pipelineSource(`[{ id: 's', run: { module: 'stages/t.ts', export: 'sneaky' }, params: ['a.x'], outs: ['out/s.txt'] }]`));
    const r = await repro(f.dir, 'run');
    expect(r.code).toBe(1);
    expect(r.err).toContain('failed: s');
    const log = f.read('.repro/logs/s.log');
    expect(log).toContain("stage s read param 'b', which it does not declare");
  });

  it('expands matrix declarations into stable instance ids', async () => {
    f.write(
      'pipeline.ts',
      pipelineSource(`matrix('train', { game: ['c4', 'px'], w: [4, 8] }, (p) => ({ run: { module: 'stages/t.ts' }, outs: ['out/train-' + p.game + '-' + p.w + '.txt'], args: p, seed: p.w }), (p) => p.game + '-w' + p.w)`),
    );
    const r = await repro(f.dir, 'run', 'train');
    expect(r.code, r.err).toBe(0);
    expect(f.executed()).toEqual(['train@c4-w4', 'train@c4-w8', 'train@px-w4', 'train@px-w8']);
    expect(JSON.parse(f.read('out/train-px-8.txt'))).toMatchObject({ args: { game: 'px', w: 8 }, seed: 8 });
  });
});
