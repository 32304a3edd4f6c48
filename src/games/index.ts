// The games registry: the one place that maps a game's name to its engine.

import { Connect4Game, type Connect4Options } from './connect4.ts';
import type { AnyGame } from './game.ts';
import { PentagoGame } from './pentago.ts';

export type GameName = 'connect4' | 'pentago';
export const gameNames: readonly GameName[] = ['connect4', 'pentago'];

export interface GameOptions {
  connect4?: Connect4Options;
}

export function getGame(name: 'connect4', options?: Connect4Options): Connect4Game;
export function getGame(name: 'pentago', options?: Record<string, never>): PentagoGame;
export function getGame(name: GameName | string, options?: Connect4Options): AnyGame;
export function getGame(name: string, options?: Connect4Options): AnyGame {
  switch (name) {
    case 'connect4':
      return new Connect4Game(options);
    case 'pentago':
      if (options && Object.keys(options).length > 0) {
        throw new RangeError(`pentago takes no options, got ${JSON.stringify(options)}`);
      }
      return pentago;
    default:
      throw new RangeError(`unknown game "${name}"; known games: ${gameNames.join(', ')}`);
  }
}

const pentago = new PentagoGame();

export { Connect4Game, Connect4State, C4Status, type Connect4Options } from './connect4.ts';
export { PentagoGame, PentagoState } from './pentago.ts';
export * from './game.ts';
export * from './playout.ts';
