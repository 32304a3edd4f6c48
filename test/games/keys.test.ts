// The binary key (writeKey) must identify positions exactly as the string key does: the
// search's hash tables use one, the solvers and tools the other.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng.ts';
import { Connect4Game, PentagoGame, type AnyGame } from '../../src/games/index.ts';
import { randomPosition } from '../../src/games/playout.ts';

const games: [string, AnyGame][] = [
  ['connect4 7x6', new Connect4Game()],
  ['connect4 8x7 (four key words)', new Connect4Game({ width: 8, height: 7 })],
  ['pentago', new PentagoGame()],
];

describe('writeKey', () => {
  for (const [label, game] of games) {
    it(`is one-to-one with key() over thousands of positions (${label})`, () => {
      const rng = new Rng(11, 'test/keys');
      const wordsOf = new Map<string, string>();
      const keyOf = new Map<string, string>();
      const out = new Int32Array(game.keyWords + 2).fill(0x55555555);
      for (let i = 0; i < 4000; i++) {
        // Positions at every depth, and each one's children: transpositions and near misses.
        const s = randomPosition(game, rng, rng.int(game.maxPlies));
        for (const state of [s, ...game.legalActions(s).slice(0, 3).map((a) => game.apply(s, a))]) {
          game.writeKey(state, out, 1);
          expect(out[0]).toBe(0x55555555); // nothing written outside the key's words
          expect(out[game.keyWords + 1]).toBe(0x55555555);
          const words = Array.from(out.subarray(1, 1 + game.keyWords)).join(',');
          const key = game.key(state);
          expect(wordsOf.get(key) ?? words).toBe(words);
          expect(keyOf.get(words) ?? key).toBe(key);
          wordsOf.set(key, words);
          keyOf.set(words, key);
        }
      }
      expect(wordsOf.size).toBeGreaterThan(4000);
    });
  }
});
