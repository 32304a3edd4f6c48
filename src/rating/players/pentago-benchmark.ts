// The Pentago benchmark player: a strong agent (the paper: its best agent, with 10x the
// simulations) that hands over to the exact endgame solver once few enough cells are empty,
// so the top of the Pentago Elo axis is pinned by play that is perfect where it can be.

import type { Rng } from '../../engine/rng.ts';
import type { PentagoGame, PentagoState } from '../../games/pentago.ts';
import { PentagoEndgameSolver } from '../../solvers/pentago-endgame.ts';
import type { MatchPlayer } from './player.ts';

export const BENCHMARK_PLAYER = 'benchmark';

export interface EndgameSwitchOptions {
  /** Positions with at most this many empty cells are played by the solver. */
  solverEmpties: number;
  /** Solver node budget per move; beyond it the agent plays the move (default unlimited). */
  maxNodes?: number;
  /** log2 of the solver's table entries (default 20). */
  tableBits?: number;
  name?: string;
}

export class PentagoBenchmarkPlayer implements MatchPlayer<PentagoState> {
  readonly name: string;
  /** Moves the solver played and moves it handed back to the agent (node budget exceeded). */
  readonly stats = { solverMoves: 0, solverGaveUp: 0 };
  private readonly game: PentagoGame;
  private readonly agent: MatchPlayer<PentagoState>;
  private readonly solver: PentagoEndgameSolver;
  private readonly options: EndgameSwitchOptions;

  constructor(game: PentagoGame, agent: MatchPlayer<PentagoState>, options: EndgameSwitchOptions) {
    if (!Number.isInteger(options.solverEmpties) || options.solverEmpties < 0 || options.solverEmpties > 36) {
      throw new RangeError(`pentago benchmark: solverEmpties must be an integer in 0..36, got ${options.solverEmpties}`);
    }
    this.game = game;
    this.agent = agent;
    this.options = options;
    this.name = options.name ?? BENCHMARK_PLAYER;
    this.solver = new PentagoEndgameSolver({ tableBits: options.tableBits ?? 20 });
  }

  async chooseActions(states: readonly PentagoState[], rngs: readonly Rng[]): Promise<number[]> {
    const actions = new Array<number>(states.length);
    const forAgent: number[] = [];
    states.forEach((state, i) => {
      const solved = 36 - state.ply <= this.options.solverEmpties ? this.solve(state) : null;
      if (solved === null) forAgent.push(i);
      else actions[i] = solved.length === 1 ? solved[0]! : solved[rngs[i]!.int(solved.length)]!;
    });
    if (forAgent.length > 0) {
      const chosen = await this.agent.chooseActions(
        forAgent.map((i) => states[i]!),
        forAgent.map((i) => rngs[i]!),
      );
      forAgent.forEach((i, k) => (actions[i] = chosen[k]!));
    }
    return actions;
  }

  dispose(): void {
    this.agent.dispose?.();
  }

  private solve(state: PentagoState): number[] | null {
    const result = this.solver.solve(this.game, state, { maxEmpties: this.options.solverEmpties, maxNodes: this.options.maxNodes });
    if (result === null || result.bestActions.length === 0) {
      this.stats.solverGaveUp += 1;
      return null;
    }
    this.stats.solverMoves += 1;
    return result.bestActions;
  }
}
