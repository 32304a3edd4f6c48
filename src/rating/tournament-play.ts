// Plays the pairs of one tournament shard: each pair a match of `gamesPerPair` games with
// the first move alternating, seeded per pair from (shard seed, the two names) so a pair's
// result does not depend on which shard it is in or what was played before it. Players are
// built once per shard and reused across its pairs.

import { Rng } from '../engine/rng.ts';
import type { Game } from '../games/game.ts';
import type { PairResult, TournamentShard } from '../../schemas/types/tournament-shard.ts';
import { playMatch } from './match-engine.ts';
import { comparePlayers } from './pairings.ts';
import type { MatchPlayer } from './players/player.ts';

export interface ShardPlayOptions {
  gamesPerPair: number;
  concurrentGames: number;
  seed: number;
  /** After each pair: pairs done, pairs in all, and the plies that pair took. */
  onPair?: (done: number, total: number, plies: number) => void;
}

export function pairSeed(seed: number, a: string, b: string): number {
  return new Rng(seed, `tournament/${a}/${b}`).nextU32();
}

/** Results of every pair, two entries each (one per player moving first), in pair order. */
export async function playPairs<S>(
  game: Game<S>,
  pairs: readonly (readonly [string, string])[],
  player: (name: string) => Promise<MatchPlayer<S>>,
  options: ShardPlayOptions,
): Promise<PairResult[]> {
  const built = new Map<string, MatchPlayer<S>>();
  const get = async (name: string): Promise<MatchPlayer<S>> => {
    let p = built.get(name);
    if (!p) {
      p = await player(name);
      if (p.name !== name) throw new Error(`tournament: player built for '${name}' calls itself '${p.name}'`);
      built.set(name, p);
    }
    return p;
  };
  const results: PairResult[] = [];
  try {
    let done = 0;
    for (const [a, b] of pairs) {
      const outcome = await playMatch(game, await get(a), await get(b), {
        games: options.gamesPerPair,
        concurrentGames: options.concurrentGames,
        seed: pairSeed(options.seed, a, b),
      });
      results.push(...outcome.records);
      options.onPair?.(++done, pairs.length, outcome.plies);
    }
  } finally {
    for (const p of built.values()) p.dispose?.();
  }
  return results;
}

/** The shard artifact (schemas/tournament-shard.schema.json) from its results. */
export function shardArtifact(
  meta: Pick<TournamentShard, 'game' | 'shard' | 'gamesPerPair' | 'settings'>,
  results: PairResult[],
): TournamentShard {
  const players = [...new Set(results.flatMap((r) => [r.first, r.second]))].sort(comparePlayers);
  return { ...meta, players, results };
}
