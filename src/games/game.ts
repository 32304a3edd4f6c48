// The one interface every consumer of a game uses: MCTS, self-play, the match engine,
// the solvers and the benchmarks. Games are two-player, zero-sum, perfect-information and
// deterministic; player 0 moves first.
//
// States are immutable values: `apply` returns a new state and never touches its input,
// so a search tree may keep a state per node and share it freely. They are small objects
// of plain numbers (bitboards split over 32-bit integers), cheap to allocate.

export type Player = 0 | 1;

/** The winner of a finished game, or 'draw'. */
export type Winner = Player | 'draw';

export interface Game<S> {
  /** Registry name: 'connect4' or 'pentago'. */
  readonly name: string;
  /** Size of the action space (policy vector length): 7 for Connect Four 7x6, 288 for Pentago. */
  readonly numActions: number;
  /** Board cells; the observation has 3 planes of this many floats. */
  readonly numCells: number;
  /** 3 * numCells: 126 for Connect Four 7x6, 108 for Pentago. */
  readonly observationSize: number;
  /** Upper bound on the length of a game in plies (42 for Connect Four 7x6, 36 for Pentago). */
  readonly maxPlies: number;
  /** Number of board symmetries, the identity (index 0) included: 2 for Connect Four, 8 for Pentago. */
  readonly numSymmetries: number;

  initialState(): S;
  /** The player to move (also defined on terminal states: the one who would move next). */
  currentPlayer(state: S): Player;
  /** Plies played since the initial state. */
  ply(state: S): number;

  isTerminal(state: S): boolean;
  /**
   * null while the game goes on; at the end, the result for THE PLAYER TO MOVE in `state`
   * (the one who did not make the last move): +1 win, 0 draw, -1 loss. This is the value
   * a negamax search or an MCTS leaf needs directly. Connect Four ends only with -1 or 0;
   * in Pentago +1 happens too (a rotation can complete the opponent's five).
   */
  terminalValue(state: S): number | null;
  /** null while the game goes on, else the winner in absolute terms (player 0 or 1) or 'draw'. */
  winner(state: S): Winner | null;

  /** Legal actions in increasing order; empty on terminal states. */
  legalActions(state: S): number[];
  /**
   * Writes 1 for each legal action and 0 for each other into out[offset .. offset+numActions)
   * and returns the number of legal actions (0 on terminal states).
   */
  legalMask(state: S, out: Uint8Array, offset?: number): number;
  isLegal(state: S, action: number): boolean;
  /** The state after `action`. Throws a RangeError on an illegal action or a finished game. */
  apply(state: S, action: number): S;

  /**
   * Writes the network input, 3 one-hot planes of numCells floats each, plane-major:
   * [own stones of the player to move, opponent's stones, empty cells], into
   * out[offset .. offset+observationSize). Cell order is the game's `cellIndex` convention
   * (documented per game). Every float of the range is written (no need to clear first).
   */
  writeObservation(state: S, out: Float32Array, offset?: number): void;

  /**
   * The image of `state` under symmetry `sym` (0 = identity). Symmetries commute with play:
   * apply(transformState(s, g), actionPermutation(g)[a]) equals transformState(apply(s, a), g).
   */
  transformState(state: S, sym: number): S;
  /**
   * perm[a] = the image of action a under symmetry `sym`. To map a policy p of state s onto
   * transformState(s, sym): q[perm[a]] = p[a]. Shared table: do not modify.
   */
  actionPermutation(sym: number): Int32Array;

  /**
   * A string that identifies the position (board and player to move) uniquely; for Maps and
   * Sets within one process. Its bits are packed into UTF-16 code units, not readable text:
   * MCTS makes one per simulation, and base-36 number formatting cost ~1 µs each.
   */
  key(state: S): string;
  /** 32-bit words in writeKey's binary form of key(). */
  readonly keyWords: number;
  /**
   * The position's key as keyWords int32 words into out[offset ..): equal words exactly when
   * key() is equal. The search's hash tables take this form (no string per leaf).
   */
  writeKey(state: S, out: Int32Array, offset?: number): void;

  actionToString(action: number): string;
  /** Inverse of actionToString; throws a RangeError on a malformed string. */
  parseAction(text: string): number;
  /** A move sequence in the game's usual notation (Connect Four "4453", Pentago "a1s d4v"). */
  formatMoves(actions: readonly number[]): string;
  /** Parses what formatMoves writes; also accepts tokens separated by spaces or commas. */
  parseMoves(text: string): number[];

  /** A human-readable picture of the board, several lines. */
  render(state: S): string;
}

/** Any game, for code that only passes games around (method syntax keeps this assignable). */
export type AnyGame = Game<unknown>;

/** Returns per player, OpenSpiel style: [player 0, player 1], each +1/0/-1; [0, 0] while playing. */
export function returns<S>(game: Game<S>, state: S): [number, number] {
  const w = game.winner(state);
  if (w === null || w === 'draw') return [0, 0];
  return w === 0 ? [1, -1] : [-1, 1];
}

/** The state reached by playing a move sequence (game notation) from the initial state. */
export function stateFromMoves<S>(game: Game<S>, moves: string | readonly number[]): S {
  const actions = typeof moves === 'string' ? game.parseMoves(moves) : moves;
  let state = game.initialState();
  for (const a of actions) state = game.apply(state, a);
  return state;
}

/** Every symmetric image of a state with the action map that goes with it (identity first). */
export function symmetries<S>(game: Game<S>, state: S): { state: S; actionMap: Int32Array }[] {
  const out: { state: S; actionMap: Int32Array }[] = [];
  for (let g = 0; g < game.numSymmetries; g++) {
    out.push({ state: game.transformState(state, g), actionMap: game.actionPermutation(g) });
  }
  return out;
}

/** Maps a policy over actions of s onto the symmetric image transformState(s, sym). */
export function transformPolicy<S>(game: Game<S>, policy: ArrayLike<number>, sym: number): Float32Array {
  const perm = game.actionPermutation(sym);
  const out = new Float32Array(game.numActions);
  for (let a = 0; a < perm.length; a++) out[perm[a]!] = policy[a]!;
  return out;
}

/** Splits a move-sequence string into tokens: on separators if any, else into fixed-width chunks. */
export function splitMoveTokens(text: string, tokenWidth: number): string[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (/[\s,;]/.test(trimmed)) return trimmed.split(/[\s,;]+/).filter((t) => t !== '');
  if (trimmed.length % tokenWidth !== 0) {
    throw new RangeError(`move sequence "${text}" is not a whole number of ${tokenWidth}-character moves`);
  }
  const tokens: string[] = [];
  for (let i = 0; i < trimmed.length; i += tokenWidth) tokens.push(trimmed.slice(i, i + tokenWidth));
  return tokens;
}
