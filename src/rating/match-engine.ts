// Two players play a match of N games, the first move alternating (game i: the first
// player named moves first when i is even), with many games advancing together so that a
// network player evaluates the positions of all its games in one batch.
//
// Determinism: the randomness of game i at ply p comes from Rng(seed, `match/i/p`) alone,
// so a game's moves depend on the seed and the players, never on which other games share
// its batches or how many run at once. The result is two PairRecords, one per order of
// play, the input of the rating fits (src/rating/match-results.ts).

import { Rng } from '../engine/rng.ts';
import type { Game, Player } from '../games/game.ts';
import type { PairRecord } from './match-results.ts';
import type { MatchPlayer } from './players/player.ts';

export interface MatchOptions<S> {
  /** Games in the match; an even number gives both players the first move equally often. */
  games: number;
  seed: number;
  /** Games in progress at once (the batch a player sees is about half of it). */
  concurrentGames: number;
  /**
   * Start positions (default: the initial state). Game i starts from openings[⌊i/2⌋ mod n],
   * so each opening is played once with each player moving first.
   */
  openings?: readonly S[];
  /** Called whenever games finish. */
  onProgress?: (finished: number, total: number) => void;
}

export interface MatchOutcome {
  /** [games where a moved first, games where b moved first], counted from the first mover. */
  records: [PairRecord, PairRecord];
  /** Plies played over all games. */
  plies: number;
}

interface LiveGame<S> {
  index: number;
  state: S;
  /** Plies since the start position (the move Rng's label). */
  ply: number;
  /** Who is to move at the start position: the seat of the game's first mover. */
  firstSeat: Player;
  /** The player who moves first in this game. */
  first: 'a' | 'b';
}

export async function playMatch<S>(game: Game<S>, a: MatchPlayer<S>, b: MatchPlayer<S>, options: MatchOptions<S>): Promise<MatchOutcome> {
  if (a.name === b.name) throw new Error(`match: both players are named '${a.name}'`);
  if (!Number.isInteger(options.games) || options.games < 0) throw new RangeError(`match: games must be an integer >= 0, got ${options.games}`);
  if (!Number.isInteger(options.concurrentGames) || options.concurrentGames < 1) {
    throw new RangeError(`match: concurrentGames must be a positive integer, got ${options.concurrentGames}`);
  }
  const openings = options.openings && options.openings.length > 0 ? options.openings : [game.initialState()];
  for (const o of openings) if (game.isTerminal(o)) throw new RangeError('match: an opening is already a finished game');

  const aFirst: PairRecord = { first: a.name, second: b.name, wins: 0, draws: 0, losses: 0 };
  const bFirst: PairRecord = { first: b.name, second: a.name, wins: 0, draws: 0, losses: 0 };
  let plies = 0;
  let started = 0;
  let finished = 0;
  const startGame = (): LiveGame<S> => {
    const index = started++;
    const state = openings[Math.floor(index / 2) % openings.length]!;
    return { index, state, ply: 0, firstSeat: game.currentPlayer(state), first: index % 2 === 0 ? 'a' : 'b' };
  };
  let live: LiveGame<S>[] = [];
  while (started < Math.min(options.games, options.concurrentGames)) live.push(startGame());

  while (live.length > 0) {
    const toMove = { a: [] as LiveGame<S>[], b: [] as LiveGame<S>[] };
    for (const g of live) {
      const firstToMove = game.currentPlayer(g.state) === g.firstSeat;
      const mover = firstToMove === (g.first === 'a') ? 'a' : 'b';
      toMove[mover].push(g);
    }
    for (const [side, player] of [['a', a], ['b', b]] as const) {
      const games = toMove[side];
      if (games.length === 0) continue;
      const rngs = games.map((g) => new Rng(options.seed, `match/${g.index}/${g.ply}`));
      const actions = await player.chooseActions(games.map((g) => g.state), rngs);
      games.forEach((g, i) => {
        const action = actions[i];
        if (action === undefined || !game.isLegal(g.state, action)) {
          throw new Error(`match: ${player.name} chose ${action === undefined ? 'no action' : `illegal action ${action}`} in game ${g.index} at ply ${g.ply}`);
        }
        g.state = game.apply(g.state, action);
        g.ply += 1;
        plies += 1;
      });
    }
    const next: LiveGame<S>[] = [];
    let newlyFinished = 0;
    for (const g of live) {
      if (!game.isTerminal(g.state)) {
        next.push(g);
        continue;
      }
      const record = g.first === 'a' ? aFirst : bFirst;
      const winner = game.winner(g.state);
      if (winner === 'draw') record.draws += 1;
      else if (winner === g.firstSeat) record.wins += 1;
      else record.losses += 1;
      newlyFinished += 1;
      if (started < options.games) next.push(startGame());
    }
    live = next;
    if (newlyFinished > 0) {
      finished += newlyFinished;
      options.onProgress?.(finished, options.games);
    }
  }
  return { records: [aFirst, bFirst], plies };
}

/** Match score of `a` over both orders of play: (wins + draws/2) / games. */
export function matchScore(outcome: MatchOutcome): number {
  const [aFirst, bFirst] = outcome.records;
  const games = aFirst.wins + aFirst.draws + aFirst.losses + bFirst.wins + bFirst.draws + bFirst.losses;
  if (games === 0) return 0.5;
  return (aFirst.wins + bFirst.losses + (aFirst.draws + bFirst.draws) / 2) / games;
}
