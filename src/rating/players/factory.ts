// Builds a match player from its name: `<agent>@<step>` is an agent's checkpoint with MCTS,
// `random` the uniform player, `solver` / `solver-T<T>` the Connect Four solver players,
// `benchmark` the Pentago benchmark. Names are the whole interface between the pairing plan
// and the stage that plays it.

import type { AnyGame } from '../../games/game.ts';
import type { Connect4Game } from '../../games/connect4.ts';
import type { PentagoGame } from '../../games/pentago.ts';
import type { OpeningBook } from '../../solvers/connect4/opening-book.ts';
import { parseCheckpointPlayer } from '../pairings.ts';
import type { BatchEvaluator } from '../../az/batched-search.ts';
import { AlphaZeroPlayer, type AgentSearchOptions } from './alphazero.ts';
import { Connect4SolverPlayer, parseSolverPlayerName } from './connect4-solver.ts';
import { BENCHMARK_PLAYER, PentagoBenchmarkPlayer } from './pentago-benchmark.ts';
import type { MatchPlayer } from './player.ts';
import { RANDOM_PLAYER, RandomPlayer } from './random.ts';

export interface BenchmarkSpec {
  agent: string;
  step: number;
  /** Its network: the copy of the agent's checkpoint that benchmark@pentago made. */
  load: () => Promise<BatchEvaluator & { dispose?(): void }>;
  simulationsFactor: number;
  solverEmpties: number;
}

export interface PlayerContext {
  game: AnyGame;
  /** The network of an agent's checkpoint. */
  loadNetwork(agent: string, step: number): Promise<BatchEvaluator & { dispose?(): void }>;
  search: AgentSearchOptions;
  book?: OpeningBook;
  benchmark?: BenchmarkSpec;
}

export async function createPlayer(name: string, ctx: PlayerContext): Promise<MatchPlayer<unknown>> {
  const checkpoint = parseCheckpointPlayer(name);
  if (checkpoint) {
    return new AlphaZeroPlayer(ctx.game, await ctx.loadNetwork(checkpoint.agent, checkpoint.step), name, ctx.search);
  }
  if (name === RANDOM_PLAYER) return new RandomPlayer(ctx.game);
  const temperature = parseSolverPlayerName(name);
  if (temperature !== undefined) {
    if (ctx.game.name !== 'connect4') throw new Error(`player '${name}': the solver players are for Connect Four, not ${ctx.game.name}`);
    return new Connect4SolverPlayer(ctx.game as unknown as Connect4Game, { temperature, book: ctx.book }) as MatchPlayer<unknown>;
  }
  if (name === BENCHMARK_PLAYER) {
    if (ctx.game.name !== 'pentago') throw new Error(`player '${name}': the benchmark player is for Pentago, not ${ctx.game.name}`);
    const spec = ctx.benchmark;
    if (!spec) throw new Error(`player '${name}': no benchmark given (args.benchmark, the output of benchmark@pentago)`);
    const pentago = ctx.game as unknown as PentagoGame;
    const simulations = Math.round(ctx.search.simulations * spec.simulationsFactor);
    const net = await spec.load();
    const agent = new AlphaZeroPlayer(pentago, net, `${spec.agent}@${spec.step}x${spec.simulationsFactor}`, { ...ctx.search, simulations });
    return new PentagoBenchmarkPlayer(pentago, agent, { solverEmpties: spec.solverEmpties }) as MatchPlayer<unknown>;
  }
  throw new Error(`unknown player '${name}': expected <game>-w<width>-c<copy>@<step>, random, solver, solver-T<T> or benchmark`);
}
