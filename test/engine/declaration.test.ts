// Declaration and params errors stop the run before any stage starts, with one message
// naming the stage (or file and key) and the fix; exit code 2.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { execa } from 'execa';
import { makePipeline, pipelineSource, repro, REPO, type Fixture } from './helpers.ts';

let f: Fixture | undefined;
afterEach(() => f?.cleanup());

async function expectInputError(stages: string, pattern: RegExp, extra: Record<string, string> = {}) {
  f = makePipeline({ 'pipeline.ts': pipelineSource(stages), 'params.json': JSON.stringify({ a: { x: 1 } }), 'data/in.txt': 'x', ...extra });
  const r = await repro(f.dir, 'run');
  expect(r.code).toBe(2);
  expect(r.err).toMatch(pattern);
  expect(r.err).toContain('fix:');
  expect(f.executed()).toEqual([]);
  return r.err;
}

describe('declaration errors', () => {
  it('reports a cycle with its path', async () => {
    await expectInputError(
      `[{ id: 'x', run: { module: 'stages/t.ts' }, deps: ['out/z.txt'], outs: ['out/x.txt'] },
        { id: 'y', run: { module: 'stages/t.ts' }, deps: ['out/x.txt'], outs: ['out/y.txt'] },
        { id: 'z', run: { module: 'stages/t.ts' }, deps: ['out/y.txt'], outs: ['out/z.txt'] },
        { id: 'ok', run: { module: 'stages/t.ts' }, outs: ['out/ok.txt'] }]`,
      /the stages form a cycle: (x → y → z → x|y → z → x → y|z → x → y → z)/,
    );
  });

  it('reports two stages writing one output', async () => {
    await expectInputError(
      `[{ id: 'x', run: { module: 'stages/t.ts' }, outs: ['out/same.txt'] },
        { id: 'y', run: { module: 'stages/t.ts' }, outs: ['out/same.txt'] }]`,
      /stages x and y both write out\/same.txt\n  fix: give each output exactly one stage/,
    );
  });

  it('reports an output nested in another stage’s output directory', async () => {
    await expectInputError(
      `[{ id: 'x', run: { module: 'stages/t.ts' }, outs: ['out'] }, { id: 'y', run: { module: 'stages/t.ts' }, outs: ['out/y.txt'] }]`,
      /stages x and y both write out\/y.txt/,
    );
  });

  it('reports a dep that no stage makes and no file provides', async () => {
    await expectInputError(
      `[{ id: 'x', run: { module: 'stages/t.ts' }, deps: ['data/nope.csv'], outs: ['out/x.txt'] }]`,
      /stage x depends on data\/nope.csv, which no stage writes and no file provides\n  fix: create data\/nope.csv, add a stage that writes it, or correct the path/,
    );
  });

  it('reports a param key params.json does not have', async () => {
    await expectInputError(
      `[{ id: 'x', run: { module: 'stages/t.ts' }, params: ['a.y'], outs: ['out/x.txt'] }]`,
      /stage x declares param 'a.y', which params.json does not have\n  fix: add 'a.y' to params.json/,
    );
  });

  it('reports duplicate ids, missing modules and malformed declarations', async () => {
    await expectInputError(
      `[{ id: 'x', run: { module: 'stages/t.ts' }, outs: ['out/1.txt'] }, { id: 'x', run: { module: 'stages/none.ts' }, outs: ['out/2.txt'] }]`,
      /stage x is declared 2 times[\s\S]*module stages\/none.ts does not exist/,
    );
    f!.cleanup();
    await expectInputError(`[{ id: 'bad id!', run: { module: 'stages/t.ts' }, outs: [] }]`, /pipeline.ts declaration: stages.0.id: must match pattern/);
  });
});

describe('params validation', () => {
  const schema = JSON.stringify({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    additionalProperties: false,
    properties: { a: { type: 'object', additionalProperties: false, properties: { x: { type: 'integer', minimum: 0 } } } },
  });

  it('validates params.json against schemas/params.schema.json before anything runs', async () => {
    f = makePipeline({
      'pipeline.ts': pipelineSource(`[{ id: 'x', run: { module: 'stages/t.ts' }, params: ['a.x'], outs: ['out/x.txt'] }]`),
      'params.json': JSON.stringify({ a: { x: -1, typo: 2 } }),
      'schemas/params.schema.json': schema,
    });
    const r = await repro(f.dir, 'run');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/params.json: a: must NOT have additional properties 'typo'; a.x: must be >= 0 \(schema .*params.schema.json\)/);
    expect(f.executed()).toEqual([]);
  });

  it('reports params.json that is not JSON, naming the file', async () => {
    f = makePipeline({ 'pipeline.ts': pipelineSource(`[]`), 'params.json': '{ "a": ' });
    const r = await repro(f.dir, 'status');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/params.json: not valid JSON/);
  });

  it('applies a profile overlay and keeps its lock records apart', async () => {
    f = makePipeline({
      'pipeline.ts': pipelineSource(`[{ id: 'x', run: { module: 'stages/t.ts' }, params: ['a.x'], outs: ['out/x.txt'] }]`),
      'params.json': JSON.stringify({ a: { x: 1 } }),
      'profiles/small.json': JSON.stringify({ a: { x: 5 } }),
    });
    expect((await repro(f.dir, '--profile', 'small', 'run')).code).toBe(0);
    expect(JSON.parse(f.read('out/x.txt')).params).toEqual({ a: { x: 5 } });
    expect(f.exists('lockfiles/small/x.json')).toBe(true);
    expect(f.exists('lockfiles/x.json')).toBe(false);
    const missing = await repro(f.dir, '--profile', 'nope', 'status');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("profile 'nope'");
  });
});

describe('CLI usage', () => {
  it('exits 2 on unknown commands, options and bad values', async () => {
    f = makePipeline({ 'pipeline.ts': pipelineSource(`[]`) });
    expect((await repro(f.dir, 'frobnicate')).code).toBe(2);
    expect((await repro(f.dir, 'run', '--jobz', '2')).code).toBe(2);
    const bad = await repro(f.dir, 'run', '--jobs', 'zero');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--jobs must be a positive integer');
    const target = await repro(f.dir, 'run', 'nope');
    expect(target.code).toBe(2);
    expect(target.err).toContain("no stage matches target 'nope'");
    expect(target.err).not.toContain('did you mean');
  });

  it('suggests the nearest stage ids and matrix names for a typo', async () => {
    const ids = ['train@c4-w16-c0', 'train@c4-w16-c1', 'train@c4-w32-c0', 'tournament@c4'];
    f = makePipeline({ 'pipeline.ts': pipelineSource(JSON.stringify(ids.map((id) => ({ id, run: { module: 'stages/t.ts' }, outs: [`out/${id}.txt`] })))) });
    const typo = await repro(f.dir, 'status', 'trian@c4-w16-c0');
    expect(typo.code).toBe(2);
    expect(typo.err).toContain("no stage matches target 'trian@c4-w16-c0'; did you mean train@c4-w16-c0?");
    expect((await repro(f.dir, 'run', 'tournamnt')).err).toContain('did you mean tournament?');
    // Ties are all offered; exec suggests ids only.
    expect((await repro(f.dir, 'exec', 'train@c4-w16-c2')).err).toContain("no stage with id 'train@c4-w16-c2'; did you mean train@c4-w16-c0 or train@c4-w16-c1?");
    expect((await repro(f.dir, 'run', 'figures')).err).not.toContain('did you mean');
  });

  it('stops quietly when the reader of its output goes away (repro dag | head -1)', async () => {
    // Far more lines than a pipe holds, so that writes go on after head has exited.
    const ids = Array.from({ length: 4000 }, (_, i) => `stage-with-a-long-enough-name-${i}`);
    f = makePipeline({ 'pipeline.ts': pipelineSource(JSON.stringify(ids.map((id) => ({ id, run: { module: 'stages/t.ts' }, outs: [`out/${id}.txt`] })))) });
    const r = await execa('bash', ['-c', `set -o pipefail; "${process.execPath}" "${join(REPO, 'bin', 'repro.js')}" --root "${f.dir}" dag | head -1`], { reject: false });
    expect(r.stdout).toBe(ids[0]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it('prints the graph as text, mermaid and dot', async () => {
    f = makePipeline({
      'pipeline.ts': pipelineSource(`[{ id: 'x', run: { module: 'stages/t.ts' }, outs: ['out/x.txt'] }, { id: 'y@1', run: { module: 'stages/t.ts' }, deps: ['out/x.txt'], outs: ['out/y.txt'] }]`),
    });
    expect((await repro(f.dir, 'dag')).out).toBe('x\ny@1 ← x');
    expect((await repro(f.dir, 'dag', '--mermaid')).out).toContain('x --> y_1');
    expect((await repro(f.dir, 'dag', '--dot')).out).toContain('"x" -> "y@1";');
  });
});
