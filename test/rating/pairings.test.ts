import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/az/backend.ts';
import { PolicyValueNetwork } from '../../src/az/network.ts';
import { forwardFlops, parameterCount } from '../../src/az/network-shape.ts';
import type { StageContext } from '../../src/engine/context.ts';
import type { StageDecl } from '../../src/engine/declare.ts';
import { getKey } from '../../src/engine/params.ts';
import { run as runFits } from '../../stages/fits.ts';
import { run as runRatings } from '../../stages/ratings.ts';
import { run as runTournament } from '../../stages/tournament.ts';
import type { Rng } from '../../src/engine/rng.ts';
import { Connect4Game, type Connect4State } from '../../src/games/connect4.ts';
import { agentSlicePairs, allPairs, parseCheckpointPlayer, referencePairs, trainingSlicePairs, type PairingPlan } from '../../src/rating/pairings.ts';
import type { MatchPlayer } from '../../src/rating/players/player.ts';
import { RandomPlayer } from '../../src/rating/players/random.ts';
import { shardPairs } from '../../src/rating/tournament-shards.ts';
import { shardsOf, tournamentStages, type TournamentPlanParams } from '../../src/rating/tournament-plan.ts';
import { playPairs, shardArtifact } from '../../src/rating/tournament-play.ts';
import { rateTournament, resultsFromShards } from '../../src/rating/tournament-ratings.ts';

const plan: PairingPlan = {
  agents: ['connect4-w8-c1', 'connect4-w4-c0', 'connect4-w8-c0', 'connect4-w4-c1'],
  steps: [4, 1, 2],
  references: ['solver', 'random'],
};

function params(widths: number[]): TournamentPlanParams {
  return {
    study: { games: ['connect4', 'pentago'], widths: { connect4: widths, pentago: widths }, copies: 2, seed: 2023 },
    train: { steps: 4, checkpoints: [1, 2, 4], bufferSize: 512, reuse: 4, batchSize: 64, lr: 0.001, weightDecay: 0.0001 },
    book: { depth: null, cpus: 1 },
    az: { backend: 'auto', gpus: 0 },
    tournament: {
      gamesPerPair: 8,
      simulations: 16,
      c: 2,
      temperature: 0.25,
      concurrentGames: 16,
      cacheSize: 1024,
      references: { connect4: { solverTemperatures: [0, 5] }, pentago: { benchmark: { simulationsFactor: 10, solverEmpties: 8 } } },
    },
    ratings: { bootstrapResamples: 10, level: 0.95, virtualDraws: 1 },
    fits: { eloMethod: 'bayeselo', level: 0.95, sizePlateau: { kind: 'none' }, pointPlateauMargin: null },
  } as TournamentPlanParams;
}

describe('pairings', () => {
  it('have the expected counts for a small plan: K·A(A−1)/2 training, A·K(K−1)/2 agent, A·R reference pairs', () => {
    const A = 4;
    const K = 3;
    const R = 2;
    expect(trainingSlicePairs(plan)).toHaveLength((K * A * (A - 1)) / 2);
    expect(agentSlicePairs(plan)).toHaveLength((A * K * (K - 1)) / 2);
    expect(referencePairs(plan)).toHaveLength(A * R);
    const pairs = allPairs(plan);
    expect(new Set(pairs.map((p) => `${p.a}|${p.b}`)).size).toBe(pairs.length);
    // Training slices pair checkpoints of the same step; agent slices, the same agent.
    for (const p of trainingSlicePairs(plan)) expect(parseCheckpointPlayer(p.a)!.step).toBe(parseCheckpointPlayer(p.b)!.step);
    for (const p of agentSlicePairs(plan)) expect(parseCheckpointPlayer(p.a)!.agent).toBe(parseCheckpointPlayer(p.b)!.agent);
    // References meet the fully trained agents only.
    for (const p of referencePairs(plan)) expect(parseCheckpointPlayer(p.a)!.step).toBe(4);
    expect(referencePairs(plan)[0]).toEqual({ a: 'connect4-w4-c0@4', b: 'random', slice: 'reference' });
  });

  it('split into one shard per agent pair, per agent and per (agent, reference)', () => {
    const shards = shardPairs(allPairs(plan));
    expect(shards).toHaveLength(6 + 4 + 8);
    expect(shards.map((s) => s.id)).toContain('connect4-w4-c0+connect4-w8-c1');
    expect(shards.map((s) => s.id)).toContain('connect4-w8-c1');
    expect(shards.map((s) => s.id)).toContain('connect4-w4-c1+solver');
    const pairShard = shards.find((s) => s.id === 'connect4-w4-c0+connect4-w8-c1')!;
    expect(pairShard.pairs.map((p) => [p.a, p.b])).toEqual([1, 2, 4].map((s) => [`connect4-w4-c0@${s}`, `connect4-w8-c1@${s}`]));
    expect(shards.reduce((n, s) => n + s.pairs.length, 0)).toBe(allPairs(plan).length);
  });

  it('adding a width keeps every existing shard stage (id, deps, params, args) and only adds shards of the new agents', () => {
    const before = tournamentStages(params([4, 16]));
    const after = tournamentStages(params([4, 8, 16]));
    const shardStages = (stages: typeof before) => new Map(stages.filter((s) => s.id.startsWith('tournament@')).map((s) => [s.id, s]));
    const old = shardStages(before);
    const now = shardStages(after);
    for (const [id, stage] of old) expect(now.get(id)).toEqual(stage);
    const added = [...now.keys()].filter((id) => !old.has(id));
    expect(added.length).toBeGreaterThan(0);
    for (const id of added) expect(id).toMatch(/-w8-/);
    // connect4: 2 new agents; each meets the 4 old ones and the other new one, has its slice and 3 references.
    expect(added.filter((id) => id.includes('connect4'))).toHaveLength(2 * 4 + 1 + 2 + 2 * 3);
    // The rating stage reads every shard, the new ones included.
    const elo = after.find((s) => s.id === 'elo@connect4')!;
    for (const id of added.filter((i) => i.includes('connect4'))) expect(elo.deps).toContain(`artifacts/tournament/connect4/${id.slice('tournament@'.length)}.json`);
  });

  it('shard stages depend on exactly the train outputs of their agents (and the benchmark)', () => {
    const stages = tournamentStages(params([4, 16]));
    const pair = stages.find((s) => s.id === 'tournament@connect4-w4-c0+connect4-w16-c1')!;
    expect(pair.deps).toEqual(['artifacts/train/connect4-w4-c0', 'artifacts/train/connect4-w16-c1']);
    const bench = stages.find((s) => s.id === 'tournament@pentago-w4-c1+benchmark')!;
    expect(bench.deps).toEqual(['artifacts/train/pentago-w4-c1', 'artifacts/benchmark/pentago']);
    expect(bench.params).toContain('tournament.references.pentago.benchmark');
    expect(shardsOf(params([4, 16]), 'pentago').some((s) => s.references.includes('solver'))).toBe(false);
  });

  it('measures the benchmark agent from the agent-pair shards unless params pin it', () => {
    const measured = tournamentStages(params([4, 16])).find((s) => s.id === 'benchmark@pentago')!;
    expect(measured.deps).toEqual([
      ...['w4-c0', 'w4-c1', 'w16-c0', 'w16-c1'].map((a) => `artifacts/train/pentago-${a}`),
      ...['w16-c0+pentago-w16-c1', 'w4-c0+pentago-w16-c0', 'w4-c0+pentago-w16-c1', 'w4-c0+pentago-w4-c1', 'w4-c1+pentago-w16-c0', 'w4-c1+pentago-w16-c1'].map(
        (s) => `artifacts/tournament/pentago/pentago-${s}.json`,
      ),
    ]);
    expect(measured.args).toEqual({ agents: ['pentago-w4-c0', 'pentago-w4-c1', 'pentago-w16-c0', 'pentago-w16-c1'], finalStep: 4 });
    const pin = (benchmark: object) => {
      const p = params([4, 16]);
      p.tournament.references.pentago.benchmark = { simulationsFactor: 10, solverEmpties: 8, ...benchmark };
      return p;
    };
    const pinned = tournamentStages(pin({ width: 16, copy: 0 })).find((s) => s.id === 'benchmark@pentago')!;
    expect(pinned.deps).toEqual(['artifacts/train/pentago-w16-c0']);
    expect(pinned.args).toEqual({ agents: ['pentago-w16-c0'], finalStep: 4, pinned: 'pentago-w16-c0' });
    expect(() => tournamentStages(pin({ width: 8, copy: 0 }))).toThrow(/pentago-w8-c0, which study.widths.pentago/);
    expect(() => tournamentStages(pin({ width: 16 }))).toThrow(/give both width and copy/);
  });
});

/**
 * A Connect Four player of known strength q: with probability q it takes an immediate win if
 * there is one, else avoids moves that give the opponent one; otherwise it moves at random.
 */
class TacticalPlayer implements MatchPlayer<Connect4State> {
  constructor(
    readonly name: string,
    private readonly game: Connect4Game,
    private readonly q: number,
  ) {}

  chooseActions(states: readonly Connect4State[], rngs: readonly Rng[]): number[] {
    return states.map((s, i) => this.choose(s, rngs[i]!));
  }

  private choose(state: Connect4State, rng: Rng): number {
    const legal = this.game.legalActions(state);
    if (rng.next() < this.q) {
      const win = legal.find((a) => this.game.terminalValue(this.game.apply(state, a)) === -1);
      if (win !== undefined) return win;
      const safe = legal.filter((a) => {
        const next = this.game.apply(state, a);
        return this.game.isTerminal(next) || !this.game.legalActions(next).some((b) => this.game.terminalValue(this.game.apply(next, b)) === -1);
      });
      if (safe.length > 0) return safe[rng.int(safe.length)]!;
    }
    return legal[rng.int(legal.length)]!;
  }
}

describe('synthetic end to end: players of known strength → shards → ratings', () => {
  it('recovers the order of strengths', async () => {
    const game = new Connect4Game();
    const widths = [4, 8, 16];
    const steps = [1, 2];
    const strength = (name: string): number => {
      if (name === 'random') return 0;
      const { agent, step } = parseCheckpointPlayer(name)!;
      const width = Number(/-w(\d+)-/.exec(agent)![1]);
      return [0.15, 0.3, 0.45, 0.6, 0.8, 1][widths.indexOf(width) * 2 + steps.indexOf(step)]!;
    };
    const shards = shardPairs(allPairs({ agents: widths.map((w) => `connect4-w${w}-c0`), steps, references: ['random'] }));
    const artifacts = [];
    for (const shard of shards) {
      const results = await playPairs(
        game,
        shard.pairs.map((p) => [p.a, p.b] as const),
        async (name) => (name === 'random' ? new RandomPlayer(game) : new TacticalPlayer(name, game, strength(name))),
        { gamesPerPair: 200, concurrentGames: 50, seed: 99 },
      );
      artifacts.push(shardArtifact({ game: 'connect4', shard: shard.id, gamesPerPair: 200, settings: { simulations: 1, c: 2, temperature: 0 } }, results));
    }
    const results = resultsFromShards(artifacts);
    const { bradleyTerry, bayesElo } = rateTournament(results, { bootstrapResamples: 20, level: 0.9, virtualDraws: 0, seed: 1 });
    for (const table of [bradleyTerry, bayesElo]) {
      expect(table.zeroPlayer).toBe('random');
      const byElo = [...table.players].sort((x, y) => x.elo - y.elo).map((p) => p.name);
      const byStrength = [...table.players].sort((x, y) => strength(x.name) - strength(y.name)).map((p) => p.name);
      expect(byElo).toEqual(byStrength);
      for (const p of table.players) expect(p.eloInterval!.lower).toBeLessThanOrEqual(p.elo + 1e-9);
    }
  });
});

describe('tournament, ratings and fits stages end to end on untrained checkpoints', () => {
  const root = mkdtempSync(join(tmpdir(), 'tournament-stages-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function context(stage: StageDecl, p: unknown): StageContext {
    const abs = (path: string) => join(root, path);
    const outs = stage.outs.map((o) => abs(typeof o === 'string' ? o : o.path));
    return {
      id: stage.id,
      root,
      params: p as Record<string, unknown>,
      param: <T,>(key: string) => {
        if (!stage.params?.some((k) => key === k || key.startsWith(`${k}.`))) throw new Error(`${stage.id}: undeclared param ${key}`);
        return getKey(p, key) as T;
      },
      deps: (stage.deps ?? []).map(abs),
      outs,
      out: (path) => abs(path),
      dep: (path) => {
        if (!stage.deps?.includes(path)) throw new Error(`${stage.id}: undeclared dep ${path}`);
        return abs(path);
      },
      seed: stage.seed ?? 0,
      args: (stage.args ?? {}) as Record<string, unknown>,
      workDir: abs(`.work/${stage.id}`),
      git: { commit: null, dirty: false },
      log: () => {},
      progress: () => {},
      record: () => {},
    };
  }

  it('plays every shard, rates all results and fits the scaling laws', async () => {
    await selectBackend({ log: () => {} });
    const base = params([4, 8, 16, 32]);
    const p = {
      ...base,
      study: { ...base.study, games: ['connect4'], copies: 1 },
      train: { ...base.train, steps: 3, checkpoints: [1, 2, 3] },
      tournament: { ...base.tournament, gamesPerPair: 4, simulations: 4, references: { ...base.tournament.references, connect4: { solverTemperatures: [] } } },
      ratings: { bootstrapResamples: 5, level: 0.9, virtualDraws: 1 },
      fits: { eloMethod: 'bradley-terry', level: 0.9, sizePlateau: { kind: 'none' }, pointPlateauMargin: null },
    } as TournamentPlanParams;
    const game = new Connect4Game();
    // Stand-ins for train outputs: fresh networks as checkpoints, and their compute records.
    for (const width of [4, 8, 16, 32]) {
      const dir = join(root, `artifacts/train/connect4-w${width}-c0`);
      const shape = { inputSize: game.observationSize, numActions: game.numActions, width };
      const F = forwardFlops(shape);
      const checkpoints = [];
      for (const step of [1, 2, 3]) {
        const net = PolicyValueNetwork.create(shape, width * 10 + step);
        await net.save(join(dir, `checkpoints/step-00000${step}`));
        net.dispose();
        const flops = step * 4 * F * 128;
        checkpoints.push({ step, checkpoint: `checkpoints/step-00000${step}`, paperCompute: flops, inferenceFlops: flops, cacheHitFlopsSaved: 0, trainingFlops: 0, spentFlops: flops, evaluations: 0, cacheHits: 0, terminalLeaves: 0, trainingSamples: 0, states: 0, games: 0 });
      }
      const compute = { parameters: parameterCount(shape), forwardFlops: F, simulationsPerMove: 4, statesPerStep: 128, trainingFlopsPerSample: 3 * F, checkpoints };
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'compute.json'), JSON.stringify(compute));
    }

    const stages = tournamentStages(p);
    const shards = stages.filter((s) => s.id.startsWith('tournament@'));
    expect(shards).toHaveLength(6 + 4 + 4);
    for (const stage of shards) await runTournament(context(stage, p));
    const one = JSON.parse(readFileSync(join(root, 'artifacts/tournament/connect4/connect4-w4-c0+connect4-w8-c0.json'), 'utf8'));
    expect(one.results).toHaveLength(6);
    expect(one.results[0]).toMatchObject({ first: 'connect4-w4-c0@1', second: 'connect4-w8-c0@1' });
    for (const r of one.results) expect(r.wins + r.draws + r.losses).toBe(2);

    await runRatings(context(stages.find((s) => s.id === 'elo@connect4')!, p));
    const table = JSON.parse(readFileSync(join(root, 'artifacts/elo/connect4.bradley-terry.json'), 'utf8'));
    expect(table.players).toHaveLength(4 * 3 + 1);
    expect(table.zeroPlayer).toBe('random');
    expect(existsSync(join(root, 'artifacts/elo/connect4.bayeselo.json'))).toBe(true);

    await runFits(context(stages.find((s) => s.id === 'fits@connect4')!, p));
    const fits = JSON.parse(readFileSync(join(root, 'artifacts/fits/connect4.json'), 'utf8'));
    expect(fits.game).toBe('connect4');
    expect(fits.sizeScaling.pointsUsed).toHaveLength(4);
  });
});
