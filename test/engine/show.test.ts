// `repro show` on a throw-away pipeline: the outputs' lock record, and the run that computed
// them even after later runs and restores.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { assertValid } from '../../src/engine/json.ts';
import type { ShowReport } from '../../src/engine/cli/show.ts';
import { makePipeline, pipelineSource, repro, REPO, type Fixture } from './helpers.ts';

const STAGES = `[
  { id: 'a', run: { module: 'stages/t.ts' }, params: ['a.x'], outs: ['out/a.txt'] },
  { id: 'b', run: { module: 'stages/t.ts' }, deps: ['out/a.txt'], outs: ['out/b.txt'] },
  { id: 'later', run: { module: 'stages/t.ts' }, outs: ['out/later.txt'] },
]`;

let f: Fixture;
beforeEach(async () => {
  f = makePipeline({ 'pipeline.ts': pipelineSource(STAGES), 'params.json': JSON.stringify({ a: { x: 1 } }) });
  expect((await repro(f.dir, 'run', 'b')).code).toBe(0);
});
afterEach(() => f.cleanup());

async function show(...targets: string[]): Promise<ShowReport> {
  const r = await repro(f.dir, 'show', '--json', ...targets);
  expect(r.code, r.err).toBe(0);
  return assertValid<ShowReport>(join(REPO, 'schemas', 'show.schema.json'), JSON.parse(r.out), 'show --json');
}

describe('repro show', () => {
  it('names the lock record, the outputs and the run that computed them', async () => {
    const [a] = (await show('a')).stages;
    expect(a!.state).toBe('fresh');
    expect(a!.lockFile).toBe(join('lockfiles', 'a.json'));
    expect(Object.keys(a!.lock!.outs)).toEqual(['out/a.txt']);
    expect(a!.computed).toMatchObject({ outcome: 'ran', key: a!.lock!.key, id: 'a' });
    expect(a!.lastRun).toEqual(a!.computed);
    expect(a!.runRecords).toBe(1);
    const text = (await repro(f.dir, 'show', 'a')).out;
    expect(text).toMatch(/^a {2}fresh\n {2}lock record {2}lockfiles\/a\.json \(key [0-9a-f]{12}\)/);
    expect(text).toContain('out/a.txt  ');
    expect(text).toContain('not in a git checkout');
  });

  it('keeps naming the computing run after other runs and a restore', async () => {
    const first = (await show('a')).stages[0]!.computed!;
    f.write('params.json', JSON.stringify({ a: { x: 2 } }));
    await repro(f.dir, 'run', 'a');
    f.write('params.json', JSON.stringify({ a: { x: 1 } }));
    await repro(f.dir, 'run', 'a');
    const [a] = (await show('a')).stages;
    expect(a!.computed).toEqual(first);
    expect(a!.lastRun!.outcome).toBe('restored');
    expect(a!.runRecords).toBe(3);
    expect((await repro(f.dir, 'show', 'a')).out).toMatch(/last run {5}restored \d{4}-\d\d-\d\d /);

    rmSync(join(f.dir, '.repro', 'runs', 'a'), { recursive: true });
    expect((await show('a')).stages[0]!.computed).toBeNull();
    expect((await repro(f.dir, 'show', 'a')).out).toContain('no run record here computed these outputs');
  });

  it('says why a stage is stale, and that one never run has no lock record', async () => {
    f.write('params.json', JSON.stringify({ a: { x: 5 } }));
    const { stages } = await show('b', 'later');
    expect(stages.map((s) => [s.id, s.state])).toEqual([
      ['b', 'stale'],
      ['later', 'missing'],
    ]);
    expect(stages[0]!.reasons.map((r) => r.message)).toEqual(['upstream a will rerun']);
    expect(stages[1]!.lock).toBeNull();
    const text = (await repro(f.dir, 'show', 'b', 'later')).out;
    expect(text).toContain('why          upstream a will rerun');
    expect(text).toContain('lock record  none: the stage has not run yet');
    const typo = await repro(f.dir, 'show', 'lator');
    expect(typo.code).toBe(2);
    expect(typo.err).toContain('did you mean later?');
  });
});
