// The study's ci profile: its committed lock records agree with the pipeline, a parameter
// change makes exactly the stages that read it stale, and its figures never overwrite the
// published ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '../../src/engine/project.ts';
import { prepareFreshWorkspace } from '../../src/engine/verify.ts';
import { REPO, repro } from '../engine/helpers.ts';
import type { Params } from '../../schemas/types/params.ts';

let dir: string;
beforeAll(async () => {
  dir = await prepareFreshWorkspace(await loadProject(REPO, { profile: 'ci' }));
  // The committed lock records of the ci profile, as the fresh workspace leaves them out.
  const { cpSync } = await import('node:fs');
  cpSync(join(REPO, 'lockfiles', 'ci'), join(dir, 'lockfiles', 'ci'), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const paramReasons = async () => {
  const r = await repro(dir, '--profile', 'ci', 'status', '--json');
  expect(r.code, r.err).toBe(0);
  const st = JSON.parse(r.out) as { stages: { id: string; reasons: { kind: string; key?: string }[] }[] };
  return Object.fromEntries(st.stages.map((s) => [s.id, s.reasons.filter((x) => x.kind === 'param' || x.kind === 'code').map((x) => x.key ?? x.kind)]));
};

describe('ci profile', () => {
  it('has a committed lock record for every stage, matching the code and params as they are', async () => {
    const reasons = await paramReasons();
    expect(Object.keys(reasons).length).toBeGreaterThan(5);
    for (const [id, rs] of Object.entries(reasons)) expect(rs, `${id}: lockfiles/ci is stale; run npx repro run --profile ci and commit lockfiles/`).toEqual([]);
  });

  it('marks exactly the training stages stale when the simulations change', async () => {
    const file = join(dir, 'profiles', 'ci.json');
    const profile = JSON.parse(readFileSync(file, 'utf8'));
    profile.mcts.simulations += 1;
    writeFileSync(file, JSON.stringify(profile));
    const reasons = await paramReasons();
    // The training stages, and the report, which lists the budget beside the paper's.
    for (const [id, rs] of Object.entries(reasons)) expect(rs, id).toEqual(id.startsWith('train@') || id === 'report' ? ['mcts.simulations'] : []);
  });
});

describe('ci profile, run end to end', () => {
  it('runs, then adding a width makes exactly the new agent, its shards and what summarises them need work', async () => {
    const file = join(dir, 'profiles', 'ci.json');
    writeFileSync(file, readFileSync(join(REPO, 'profiles', 'ci.json'))); // undo the previous test's change
    const run = await repro(dir, '--profile', 'ci', 'run');
    expect(run.code, run.err).toBe(0);
    // Its figures and report go beside the published ones, which stay the default profile's.
    expect(readdirSync(join(dir, 'artifacts', 'ci', 'figures'))).toContain('connect4-fig2.png');
    expect(existsSync(join(dir, 'artifacts', 'ci', 'report', 'index.html'))).toBe(true);
    for (const published of ['artifacts/figures/connect4-fig2.png', 'artifacts/figures.data.json', 'artifacts/report/index.html']) {
      expect(readFileSync(join(dir, published)).equals(readFileSync(join(REPO, published))), published).toBe(true);
    }
    const profile = JSON.parse(readFileSync(file, 'utf8'));
    profile.study.widths.connect4.push(128);
    writeFileSync(file, JSON.stringify(profile));
    const r = await repro(dir, '--profile', 'ci', 'status', '--json');
    const st = JSON.parse(r.out) as { stages: { id: string; state: string }[] };
    const notFresh = st.stages.filter((s) => s.state !== 'fresh').map((s) => s.id);
    const summaries = ['elo@connect4', 'fits@connect4', 'figures', 'report'];
    const added = notFresh.filter((id) => !summaries.includes(id));
    expect(added).toContain('train@connect4-w128-c0');
    expect(added.length).toBeGreaterThan(1);
    for (const id of added) expect(id, `${id} should not need work`).toMatch(/connect4-w128-c0/);
    for (const id of summaries) expect(notFresh).toContain(id);
    // Every other shard, of both games, is untouched.
    expect(st.stages.filter((s) => s.id.startsWith('tournament@') && !s.id.includes('w128')).every((s) => s.state === 'fresh')).toBe(true);
  }, 600_000);
});

describe('paper profile', () => {
  it('shows its stage count and its estimated compute, per stage family, without running anything', async () => {
    const r = await repro(dir, '--profile', 'paper', 'run', '--dry-run');
    expect(r.code, r.err).toBe(0);
    const family = (name: string) => {
      const m = new RegExp(`^  ${name}: (\\d+) stage\\(s\\), estimated (\\S+) FLOPs$`, 'm').exec(r.out);
      expect(m, `${name} line in:\n${r.out.slice(-2000)}`).not.toBeNull();
      return { stages: Number(m![1]), flops: Number(m![2]) };
    };
    // Both games, every copy and width; tournaments are counted too.
    const train = family('train');
    const tournament = family('tournament');
    const paper = JSON.parse(readFileSync(join(REPO, 'profiles/paper.json'), 'utf8')) as { study: { copies: number; widths: Record<string, number[]> } };
    expect(train.stages).toBe(paper.study.copies * (paper.study.widths.connect4!.length + paper.study.widths.pentago!.length));
    expect(train.flops).toBeGreaterThan(1e16);
    expect(tournament.stages).toBeGreaterThan(train.stages);
    expect(tournament.flops).toBeGreaterThan(0);
    expect(r.out).toMatch(/^\d+ of \d+ stage\(s\) would run; estimated compute \S+ FLOPs/m);
  }, 120_000);

  it('asks a GPU for every train stage, and none in the default profile', async () => {
    const gpusOfTrain = async (profile: string) =>
      new Set((await loadProject(REPO, { profile })).stages.filter((s) => s.id.startsWith('train@')).map((s) => s.resources.gpus));
    expect(await gpusOfTrain('paper')).toEqual(new Set([1]));
    expect(await gpusOfTrain('default')).toEqual(new Set([0]));
  });

  it('keys its network stages on REPRO_BACKEND, which picks their backend under auto; the pinned profiles do not', async () => {
    const envOfNetworkStages = async (profile: string) => {
      const project = await loadProject(REPO, { profile });
      expect((project.params as unknown as Params).az.backend).toBe(profile === 'paper' ? 'auto' : 'wasm');
      return new Set(project.stages.filter((s) => /^(train|tournament)@/.test(s.id)).map((s) => s.env.join(',')));
    };
    expect(await envOfNetworkStages('paper')).toEqual(new Set(['REPRO_BACKEND']));
    expect(await envOfNetworkStages('default')).toEqual(new Set(['']));
    expect(await envOfNetworkStages('ci')).toEqual(new Set(['']));
  });
});
