// The stage declarations of the evaluation half of the study, for pipeline.ts:
//   tournament@<shard>  one shard of matches (stages/tournament.ts), after the train stages of its agents
//   elo@<game>          Bradley–Terry and BayesElo tables from all shards of a game (stages/ratings.ts)
//   fits@<game>         the scaling-law fits from one table and the agents' compute (stages/fits.ts)
// Shards follow src/rating/tournament-shards.ts, so adding a width or a copy only adds
// stages: every existing shard keeps its id, deps, params and args, and is restored from
// the run cache.

import type { StageDecl } from '../engine/declare.ts';
import { checkpointSteps } from '../az/train-config.ts';
import type { Params } from '../../schemas/types/params.ts';
import type { TournamentShardArgs } from '../../schemas/types/tournament-shard-args.ts';
import { allPairs, agentName } from './pairings.ts';
import { solverPlayerName } from './players/connect4-solver.ts';
import { BENCHMARK_PLAYER } from './players/pentago-benchmark.ts';
import { RANDOM_PLAYER } from './players/random.ts';
import { shardPairs, type Shard } from './tournament-shards.ts';

export type GameName = 'connect4' | 'pentago';

/** What the plan reads of params.json. */
export type TournamentPlanParams = Pick<Params, 'study' | 'train' | 'book' | 'tournament' | 'ratings' | 'fits'>;

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
export const OPENING_BOOK = 'artifacts/connect4/opening-book.bin';

export const trainDir = (agent: string): string => `artifacts/train/${agent}`;
export const shardOutput = (game: string, shard: string): string => `artifacts/tournament/${game}/${shard}.json`;
export const ratingTableOutput = (game: string, method: 'bradley-terry' | 'bayeselo'): string => `artifacts/elo/${game}.${method}.json`;
export const fitsOutput = (game: string): string => `artifacts/fits/${game}.json`;

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
    const benchmark = params.tournament.references.pentago.benchmark;
    if (benchmark) {
      if (!params.study.widths.pentago.includes(benchmark.width) || benchmark.copy >= params.study.copies) {
        throw new Error(
          `params.json: tournament.references.pentago.benchmark names agent pentago-w${benchmark.width}-c${benchmark.copy}, which study.widths.pentago / study.copies do not train`,
        );
      }
      refs.push(BENCHMARK_PLAYER);
    }
  }
  return refs;
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
  const benchmark = game === 'pentago' ? params.tournament.references.pentago.benchmark : null;
  if (benchmark && shard.references.includes(BENCHMARK_PLAYER)) {
    const agent = agentName({ game, width: benchmark.width, copy: benchmark.copy });
    if (!deps.includes(trainDir(agent))) deps.push(trainDir(agent));
    args.benchmarkAgent = agent;
    stageParams.push(BENCHMARK_PARAM);
  }
  return {
    id: `tournament@${shard.id}`,
    run: { module: 'stages/tournament.ts' },
    deps,
    params: stageParams,
    args: args as unknown as Record<string, unknown>,
    seed: params.study.seed,
    outs: [shardOutput(game, shard.id)],
  };
}

/** Every tournament shard, elo and fits stage of the games in params.study.games. */
export function tournamentStages(params: TournamentPlanParams): StageDecl[] {
  return params.study.games.flatMap((game) => {
    const shards = shardsOf(params, game);
    const agents = agentsOf(params, game);
    return [
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
