// The stage declarations of the evaluation half of the study, for pipeline.ts:
//   tournament@<shard>  one shard of matches (stages/tournament.ts), after the train stages of its agents
//   benchmark@pentago   the agent behind the Pentago benchmark player (stages/pentago-benchmark.ts):
//                       the strongest of the final training slice, before the benchmark shards
//   elo@<game>          Bradley–Terry and BayesElo tables from all shards of a game (stages/ratings.ts)
//   fits@<game>         the scaling-law fits from one table and the agents' compute (stages/fits.ts)
// Shards follow src/rating/tournament-shards.ts, so adding a width or a copy only adds
// stages: every existing shard keeps its id, deps, params and args, and is restored from
// the run cache.

import type { StageDecl } from '../engine/declare.ts';
import { checkpointSteps } from '../az/train-config.ts';
import type { Params } from '../../schemas/types/params.ts';
import type { TournamentShardArgs } from '../../schemas/types/tournament-shard-args.ts';
import type { BenchmarkStageArgs } from '../../schemas/types/benchmark-stage-args.ts';
import { BENCHMARK_DIR, fitsOutput, OPENING_BOOK, ratingTableOutput, shardOutput, trainDir } from './artifact-paths.ts';
import { allPairs, agentName, parseAgentName, parseCheckpointPlayer } from './pairings.ts';
import { forwardFlops, studyNetworkShape } from '../az/network-shape.ts';
import { backendKeyFacts } from '../az/backend-env.ts';
import { solverPlayerName } from './players/connect4-solver.ts';
import { BENCHMARK_PLAYER } from './players/pentago-benchmark.ts';
import { RANDOM_PLAYER } from './players/random.ts';
import { shardPairs, type Shard } from './tournament-shards.ts';

export type GameName = 'connect4' | 'pentago';

/** What the plan reads of params.json. */
export type TournamentPlanParams = Pick<Params, 'study' | 'train' | 'book' | 'tournament' | 'ratings' | 'fits' | 'az'>;

/** Params every shard reads: they decide every move of an agent. */
export const SHARD_PARAMS = [
  'tournament.gamesPerPair',
  'tournament.simulations',
  'tournament.c',
  'tournament.temperature',
  'tournament.concurrentGames',
  'tournament.cacheSize',
  'az.backend',
] as const;
export const BENCHMARK_PARAM = 'tournament.references.pentago.benchmark';

export function agentsOf(params: TournamentPlanParams, game: GameName): string[] {
  return params.study.widths[game].flatMap((width) =>
    Array.from({ length: params.study.copies }, (_, copy) => agentName({ game, width, copy })),
  );
}

/** Checkpoint steps every agent has: the train stage keeps the listed ones within range and the last. */
export function stepsOf(params: TournamentPlanParams): number[] {
  return checkpointSteps({ checkpoints: params.train.checkpoints, steps: params.train.steps });
}

export function referencesOf(params: TournamentPlanParams, game: GameName): string[] {
  const refs = [RANDOM_PLAYER];
  if (game === 'connect4') {
    const board = params.study.connect4Board;
    const standard = !board || (board.width === 7 && board.height === 6);
    const temperatures = params.tournament.references.connect4.solverTemperatures;
    if (!standard && temperatures.length > 0) {
      throw new Error(
        `params.json: tournament.references.connect4.solverTemperatures must be [] on a ${board!.width}x${board!.height} board (the solver plays 7x6 only)`,
      );
    }
    refs.push(...temperatures.map(solverPlayerName));
  } else {
    if (params.tournament.references.pentago.benchmark) {
      pinnedBenchmarkAgent(params);
      refs.push(BENCHMARK_PLAYER);
    }
  }
  return refs;
}

/** The agent params pin as the Pentago benchmark, undefined when it is to be measured. */
export function pinnedBenchmarkAgent(params: TournamentPlanParams): string | undefined {
  const benchmark = params.tournament.references.pentago.benchmark;
  if (!benchmark || (benchmark.width === undefined && benchmark.copy === undefined)) return undefined;
  if (benchmark.width === undefined || benchmark.copy === undefined) {
    throw new Error('params.json: tournament.references.pentago.benchmark: give both width and copy to pin the benchmark agent, or neither to use the strongest');
  }
  if (!params.study.widths.pentago.includes(benchmark.width) || benchmark.copy >= params.study.copies) {
    throw new Error(
      `params.json: tournament.references.pentago.benchmark names agent pentago-w${benchmark.width}-c${benchmark.copy}, which study.widths.pentago / study.copies do not train`,
    );
  }
  return agentName({ game: 'pentago', width: benchmark.width, copy: benchmark.copy });
}

export function shardsOf(params: TournamentPlanParams, game: GameName): Shard[] {
  return shardPairs(allPairs({ agents: agentsOf(params, game), steps: stepsOf(params), references: referencesOf(params, game) }));
}

function shardStage(params: TournamentPlanParams, game: GameName, shard: Shard): StageDecl {
  const steps = stepsOf(params);
  const deps = shard.agents.map(trainDir);
  const stageParams: string[] = [...SHARD_PARAMS];
  const args: TournamentShardArgs = {
    game,
    shard: shard.id,
    pairs: shard.pairs.map((p) => [p.a, p.b]),
    finalStep: steps[steps.length - 1]!,
  };
  if (game === 'connect4' && params.study.connect4Board) args.board = params.study.connect4Board;
  if (shard.references.some((r) => r.startsWith('solver')) && params.book.depth !== null) {
    deps.push(OPENING_BOOK);
    args.book = OPENING_BOOK;
  }
  if (shard.references.includes(BENCHMARK_PLAYER)) {
    deps.push(BENCHMARK_DIR);
    args.benchmark = BENCHMARK_DIR;
    stageParams.push(BENCHMARK_PARAM);
  }
  return {
    id: `tournament@${shard.id}`,
    estimate: { flops: shardFlopsBound(params, game, shard) },
    run: { module: 'stages/tournament.ts' },
    deps,
    params: stageParams,
    ...backendKeyFacts(params.az.backend),
    args: args as unknown as Record<string, unknown>,
    seed: params.study.seed,
    outs: [shardOutput(game, shard.id)],
  };
}

/**
 * At most the network FLOPs of a shard, for `repro run --dry-run`: every game as long as the
 * board has cells, every simulation a network evaluation (cache hits only lower it), each
 * side searching on its own moves. Reference players cost nothing but the benchmark, bounded
 * by the widest agent at its simulations.
 */
function shardFlopsBound(params: TournamentPlanParams, game: GameName, shard: Shard): number {
  const board = game === 'connect4' ? params.study.connect4Board : undefined;
  const plies = game === 'connect4' ? (board?.width ?? 7) * (board?.height ?? 6) : 36;
  const { simulations, gamesPerPair } = params.tournament;
  const perMove = (player: string): number => {
    const checkpoint = parseCheckpointPlayer(player);
    if (checkpoint) return simulations * forwardFlops(studyNetworkShape(game, parseAgentName(checkpoint.agent)!.width, board));
    const benchmark = params.tournament.references.pentago.benchmark;
    if (player === BENCHMARK_PLAYER && benchmark) {
      const widest = Math.max(...params.study.widths.pentago);
      return simulations * benchmark.simulationsFactor * forwardFlops(studyNetworkShape('pentago', widest));
    }
    return 0;
  };
  return shard.pairs.reduce((sum, p) => sum + gamesPerPair * (plies / 2) * (perMove(p.a) + perMove(p.b)), 0);
}

/**
 * benchmark@pentago. Measured, it reads the agent-pair shards (their final training slice)
 * and may copy any agent's checkpoint; pinned, it only needs that agent.
 */
function benchmarkStage(params: TournamentPlanParams, shards: readonly Shard[]): StageDecl {
  const steps = stepsOf(params);
  const pinned = pinnedBenchmarkAgent(params);
  const agents = agentsOf(params, 'pentago');
  const pairShards = shards.filter((s) => s.agents.length === 2 && s.references.length === 0);
  const args: BenchmarkStageArgs = { agents: pinned ? [pinned] : agents, finalStep: steps[steps.length - 1]! };
  if (pinned) args.pinned = pinned;
  return {
    id: 'benchmark@pentago',
    run: { module: 'stages/pentago-benchmark.ts' },
    deps: pinned ? [trainDir(pinned)] : [...agents.map(trainDir), ...pairShards.map((s) => shardOutput('pentago', s.id))],
    params: [BENCHMARK_PARAM, 'ratings.virtualDraws'],
    args: args as unknown as Record<string, unknown>,
    outs: [BENCHMARK_DIR],
  };
}

/** Every tournament shard, elo and fits stage of the games in params.study.games (and benchmark@pentago where used). */
export function tournamentStages(params: TournamentPlanParams): StageDecl[] {
  return params.study.games.flatMap((game) => {
    const shards = shardsOf(params, game);
    const agents = agentsOf(params, game);
    const benchmark = game === 'pentago' && params.tournament.references.pentago.benchmark ? [benchmarkStage(params, shards)] : [];
    return [
      ...benchmark,
      ...shards.map((shard) => shardStage(params, game, shard)),
      {
        id: `elo@${game}`,
        run: { module: 'stages/ratings.ts' },
        deps: shards.map((s) => shardOutput(game, s.id)),
        params: ['ratings'],
        args: { game },
        seed: params.study.seed,
        outs: [ratingTableOutput(game, 'bradley-terry'), ratingTableOutput(game, 'bayeselo')],
      },
      {
        id: `fits@${game}`,
        run: { module: 'stages/fits.ts' },
        deps: [ratingTableOutput(game, params.fits.eloMethod), ...agents.map(trainDir)],
        params: ['fits'],
        args: { game },
        outs: [fitsOutput(game)],
      },
    ];
  });
}
