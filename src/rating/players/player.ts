// What the match engine asks of a player: one action for each of many positions at once
// (one position per concurrent game in which this player is to move). Batching is what
// makes network players fast: an AlphaZero agent evaluates the leaves of all its searches
// in one network call per simulation round.
//
// Randomness is handed in, one Rng per position, derived by the match engine from
// (match seed, game index, ply). A player that draws only from these streams makes the
// same moves whatever other games happen to share its batch, so results do not depend on
// how many games run concurrently.

import type { Rng } from '../../engine/rng.ts';

export interface MatchPlayer<S> {
  /** The player's name in results and ratings, e.g. `connect4-w16-c0@1150`, `random`, `solver`. */
  readonly name: string;
  /** One legal action per (non-terminal) state; `rngs[i]` is the only randomness for states[i]. */
  chooseActions(states: readonly S[], rngs: readonly Rng[]): number[] | Promise<number[]>;
  /** Releases what the player holds (network weights, solver tables). */
  dispose?(): void;
}
