// Tournament results as the rating fits read them: one entry per ordered pair of players
// (who moved first, who moved second) with counts of wins, draws and losses seen from the
// first mover. Columnar typed arrays, because a full study has ~10^5 pairs and the fits
// loop over them hundreds of times.

/** Games between two players, counted from the side of the player who moved first. */
export interface PairRecord {
  first: string;
  second: string;
  /** Games the first mover won. */
  wins: number;
  draws: number;
  /** Games the first mover lost. */
  losses: number;
}

/** Columnar tournament results; entry k is the games `first[k]` (moving first) played against `second[k]`. */
export interface MatchResults {
  readonly players: readonly string[];
  readonly first: Int32Array;
  readonly second: Int32Array;
  /** Counts are floats: BayesElo's prior adds fractional virtual draws. */
  readonly wins: Float64Array;
  readonly draws: Float64Array;
  readonly losses: Float64Array;
}

/**
 * Builds columnar results from records. Players are taken from `players` when given (so a
 * caller controls the order and can include the anchor), else in order of first appearance.
 */
export function matchResultsFromRecords(records: readonly PairRecord[], players?: readonly string[]): MatchResults {
  const names: string[] = players ? [...players] : [];
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (index.has(name)) throw new Error(`match results: player '${name}' is listed twice`);
    index.set(name, i);
  });
  const indexOf = (name: string): number => {
    let i = index.get(name);
    if (i === undefined) {
      if (players) throw new Error(`match results: player '${name}' is not in the player list`);
      i = names.length;
      names.push(name);
      index.set(name, i);
    }
    return i;
  };
  const n = records.length;
  const results = {
    players: names,
    first: new Int32Array(n),
    second: new Int32Array(n),
    wins: new Float64Array(n),
    draws: new Float64Array(n),
    losses: new Float64Array(n),
  };
  records.forEach((r, k) => {
    results.first[k] = indexOf(r.first);
    results.second[k] = indexOf(r.second);
    results.wins[k] = r.wins;
    results.draws[k] = r.draws;
    results.losses[k] = r.losses;
  });
  validateMatchResults(results);
  return results;
}

/** Throws on malformed results: bad indices, self-play, negative or non-finite counts. */
export function validateMatchResults(results: MatchResults): void {
  const { players, first, second, wins, draws, losses } = results;
  const n = first.length;
  if (second.length !== n || wins.length !== n || draws.length !== n || losses.length !== n) {
    throw new Error('match results: the columns first/second/wins/draws/losses differ in length');
  }
  if (new Set(players).size !== players.length) throw new Error('match results: player names are not unique');
  for (let k = 0; k < n; k++) {
    const a = first[k]!;
    const b = second[k]!;
    if (a < 0 || a >= players.length || b < 0 || b >= players.length) {
      throw new Error(`match results: entry ${k} names player index ${a < 0 || a >= players.length ? a : b}, outside 0…${players.length - 1}`);
    }
    if (a === b) throw new Error(`match results: entry ${k} has '${players[a]}' playing itself`);
    for (const [label, v] of [['wins', wins[k]!], ['draws', draws[k]!], ['losses', losses[k]!]] as const) {
      if (!(v >= 0) || !Number.isFinite(v)) {
        throw new Error(`match results: entry ${k} (${players[a]} vs ${players[b]}) has ${label} = ${v}; counts must be finite and ≥ 0`);
      }
    }
  }
}

/**
 * Results with the order of play forgotten, one entry per unordered pair a < b:
 * what plain Bradley–Terry sees. `scoreA` counts draws as half a win.
 */
export interface UnorderedPairs {
  readonly playerCount: number;
  readonly a: Int32Array;
  readonly b: Int32Array;
  /** Points of player a against b: wins + draws / 2. */
  readonly scoreA: Float64Array;
  readonly games: Float64Array;
}

export function collapseToUnorderedPairs(results: MatchResults): UnorderedPairs {
  const P = results.players.length;
  const slot = new Map<number, number>();
  const a: number[] = [];
  const b: number[] = [];
  const score: number[] = [];
  const games: number[] = [];
  for (let k = 0; k < results.first.length; k++) {
    const f = results.first[k]!;
    const s = results.second[k]!;
    const g = results.wins[k]! + results.draws[k]! + results.losses[k]!;
    if (g === 0) continue;
    const firstPoints = results.wins[k]! + results.draws[k]! / 2;
    const lo = Math.min(f, s);
    const hi = Math.max(f, s);
    const key = lo * P + hi;
    let i = slot.get(key);
    if (i === undefined) {
      i = a.length;
      slot.set(key, i);
      a.push(lo);
      b.push(hi);
      score.push(0);
      games.push(0);
    }
    score[i]! += f === lo ? firstPoints : g - firstPoints;
    games[i]! += g;
  }
  return {
    playerCount: P,
    a: Int32Array.from(a),
    b: Int32Array.from(b),
    scoreA: Float64Array.from(score),
    games: Float64Array.from(games),
  };
}

/**
 * The paper's way of feeding match scores to BayesElo (authors' `BayesElo.add_match`): for a
 * match score p of `first` against `second`, 2·gamesPerSide synthetic decisive games, for
 * k = 0…gamesPerSide−1: `first` (moving first) wins iff k < p·g, and `second` (moving
 * first) wins iff k > p·g. Note the asymmetry of that rule: the boundary game k = p·g (when
 * p·g is whole) counts as a win for `first` in both colours, so `first` scores about one
 * game more than p·2g. It is kept as-is so ratings can match the original's.
 */
export function paperSyntheticGames(first: string, second: string, score: number, gamesPerSide = 800): PairRecord[] {
  if (!(score >= 0 && score <= 1)) throw new Error(`paperSyntheticGames: score must be in [0, 1], got ${score}`);
  const cut = score * gamesPerSide;
  let firstWinsAsFirst = 0;
  let secondWinsAsFirst = 0;
  for (let k = 0; k < gamesPerSide; k++) {
    if (k < cut) firstWinsAsFirst++;
    if (k > cut) secondWinsAsFirst++;
  }
  return [
    { first, second, wins: firstWinsAsFirst, draws: 0, losses: gamesPerSide - firstWinsAsFirst },
    { first: second, second: first, wins: secondWinsAsFirst, draws: 0, losses: gamesPerSide - secondWinsAsFirst },
  ];
}
