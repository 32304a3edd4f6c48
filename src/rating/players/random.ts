// The uniform random player: the zero of the study's Elo scale.

import type { Rng } from '../../engine/rng.ts';
import type { Game } from '../../games/game.ts';
import type { MatchPlayer } from './player.ts';

export const RANDOM_PLAYER = 'random';

export class RandomPlayer<S> implements MatchPlayer<S> {
  readonly name: string;
  private readonly game: Game<S>;

  constructor(game: Game<S>, name = RANDOM_PLAYER) {
    this.game = game;
    this.name = name;
  }

  chooseActions(states: readonly S[], rngs: readonly Rng[]): number[] {
    return states.map((state, i) => {
      const legal = this.game.legalActions(state);
      return legal[rngs[i]!.int(legal.length)]!;
    });
  }
}
