// Whether a Bradley–Terry maximum-likelihood fit exists for a set of results, and if not,
// which players make it impossible. The MLE is finite and unique exactly when the directed
// graph "i took points from j" is strongly connected (Zermelo 1929; Hunter 2004,
// Assumption 1). We check the easy-to-explain cases first (players with no games, a
// disconnected comparison graph, a player who never won or never lost) so the message names
// the real problem, then the general case (a group that never conceded a point to the rest).
import type { UnorderedPairs } from './match-results.ts';

/** Results that cannot be fitted; `players` are the players named in the message. */
export class UnfittableRatingsError extends Error {
  constructor(
    message: string,
    readonly players: readonly string[],
  ) {
    super(message);
    this.name = 'UnfittableRatingsError';
  }
}

const NAMES_SHOWN = 6;

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).map((n) => `'${n}'`);
  if (names.length > NAMES_SHOWN) shown.push(`… (${names.length} players)`);
  return shown.join(', ');
}

/** Component id per player of the undirected graph of pairs that played at least one game. */
export function connectedComponents(pairs: UnorderedPairs): Int32Array {
  const parent = Int32Array.from({ length: pairs.playerCount }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (let k = 0; k < pairs.a.length; k++) {
    if (pairs.games[k]! <= 0) continue;
    const ra = find(pairs.a[k]!);
    const rb = find(pairs.b[k]!);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  return Int32Array.from({ length: pairs.playerCount }, (_, i) => find(i));
}

/** Groups player indices by a label per player, largest group first. */
function groupBy(labels: Int32Array): number[][] {
  const groups = new Map<number, number[]>();
  labels.forEach((label, i) => {
    let g = groups.get(label);
    if (!g) groups.set(label, (g = []));
    g.push(i);
  });
  return [...groups.values()].sort((x, y) => y.length - x.length);
}

/**
 * Strongly connected components of the graph with an edge i → j when i scored against j
 * (Tarjan's algorithm, iterative so 2,000 players cannot overflow the stack).
 */
function scoringComponents(pairs: UnorderedPairs): Int32Array {
  const P = pairs.playerCount;
  // Compressed adjacency lists: count out-degrees, prefix-sum, then fill.
  const scored = (k: number): [boolean, boolean] => [pairs.scoreA[k]! > 0, pairs.games[k]! - pairs.scoreA[k]! > 0];
  const degree = new Int32Array(P + 1);
  for (let k = 0; k < pairs.a.length; k++) {
    const [aScored, bScored] = scored(k);
    if (aScored) degree[pairs.a[k]! + 1]!++;
    if (bScored) degree[pairs.b[k]! + 1]!++;
  }
  for (let i = 0; i < P; i++) degree[i + 1]! += degree[i]!;
  const edges = new Int32Array(degree[P]!);
  const fill = degree.slice(0, P);
  for (let k = 0; k < pairs.a.length; k++) {
    const [aScored, bScored] = scored(k);
    if (aScored) edges[fill[pairs.a[k]!]!++] = pairs.b[k]!;
    if (bScored) edges[fill[pairs.b[k]!]!++] = pairs.a[k]!;
  }

  const index = new Int32Array(P).fill(-1);
  const low = new Int32Array(P);
  const onStack = new Uint8Array(P);
  const stack: number[] = [];
  const component = new Int32Array(P).fill(-1);
  const callStack: number[] = [];
  const nextEdge = new Int32Array(P);
  let counter = 0;
  let components = 0;
  for (let root = 0; root < P; root++) {
    if (index[root] !== -1) continue;
    callStack.push(root);
    index[root] = low[root] = counter++;
    nextEdge[root] = degree[root]!;
    stack.push(root);
    onStack[root] = 1;
    while (callStack.length > 0) {
      const v = callStack[callStack.length - 1]!;
      if (nextEdge[v]! < degree[v + 1]!) {
        const w = edges[nextEdge[v]!++]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          nextEdge[w] = degree[w]!;
          stack.push(w);
          onStack[w] = 1;
          callStack.push(w);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, index[w]!);
        }
        continue;
      }
      callStack.pop();
      const parent = callStack[callStack.length - 1];
      if (parent !== undefined) low[parent] = Math.min(low[parent]!, low[v]!);
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component[w] = components;
        } while (w !== v);
        components++;
      }
    }
  }
  return component;
}

/**
 * Throws an UnfittableRatingsError naming the players when the Bradley–Terry MLE does not
 * exist (some Elo would be ±∞ or undetermined). Returns silently when it does. With
 * `connectedOnly` (fits with a prior, which keeps every Elo finite) only players without
 * games and a disconnected comparison graph are errors.
 */
export function assertFittable(pairs: UnorderedPairs, players: readonly string[], connectedOnly = false): void {
  const P = pairs.playerCount;
  const games = new Float64Array(P);
  const points = new Float64Array(P);
  for (let k = 0; k < pairs.a.length; k++) {
    games[pairs.a[k]!]! += pairs.games[k]!;
    games[pairs.b[k]!]! += pairs.games[k]!;
    points[pairs.a[k]!]! += pairs.scoreA[k]!;
    points[pairs.b[k]!]! += pairs.games[k]! - pairs.scoreA[k]!;
  }
  const idle = players.filter((_, i) => games[i] === 0);
  if (idle.length > 0) {
    throw new UnfittableRatingsError(`ratings cannot be fitted: ${listNames(idle)} played no games`, idle);
  }
  const components = groupBy(connectedComponents(pairs));
  if (components.length > 1) {
    const described = components
      .slice(0, 4)
      .map((c, i) => `component ${i + 1}: ${listNames(c.map((p) => players[p]!))}`)
      .join('; ');
    const more = components.length > 4 ? `; and ${components.length - 4} more` : '';
    throw new UnfittableRatingsError(
      `ratings cannot be fitted: the comparison graph is disconnected into ${components.length} components ` +
        `that never played each other, so their relative Elo is undetermined (${described}${more}); ` +
        'add games between the components or rate them separately',
      components.flatMap((c) => c.slice(0, NAMES_SHOWN).map((p) => players[p]!)),
    );
  }
  if (connectedOnly) return;
  const undefeated = players.filter((_, i) => points[i] === games[i]);
  if (undefeated.length > 0) {
    throw new UnfittableRatingsError(
      `ratings cannot be fitted: ${listNames(undefeated)} never lost or drew a game, so the maximum-likelihood Elo is +∞; ` +
        'add games against stronger opponents, or use a prior (BayesElo)',
      undefeated,
    );
  }
  const winless = players.filter((_, i) => points[i] === 0);
  if (winless.length > 0) {
    throw new UnfittableRatingsError(
      `ratings cannot be fitted: ${listNames(winless)} never won or drew a game, so the maximum-likelihood Elo is −∞; ` +
        'add games against weaker opponents, or use a prior (BayesElo)',
      winless,
    );
  }
  const sccs = scoringComponents(pairs);
  const groups = groupBy(sccs);
  if (groups.length > 1) {
    // A group nobody outside it ever scored against sits infinitely above the rest. Such a
    // group exists whenever the graph is not strongly connected (a source of the condensation).
    const conceded = new Uint8Array(P);
    for (let k = 0; k < pairs.a.length; k++) {
      const a = pairs.a[k]!;
      const b = pairs.b[k]!;
      if (pairs.scoreA[k]! > 0 && sccs[a] !== sccs[b]) conceded[sccs[b]!] = 1;
      if (pairs.games[k]! - pairs.scoreA[k]! > 0 && sccs[a] !== sccs[b]) conceded[sccs[a]!] = 1;
    }
    const top = groups.find((g) => !conceded[sccs[g[0]!]!]) ?? groups[0]!;
    const topNames = top.map((p) => players[p]!);
    throw new UnfittableRatingsError(
      `ratings cannot be fitted: the group ${listNames(topNames)} never lost a point to any player outside it, ` +
        'so its Elo relative to the others is +∞; add games in which the rest can score against it',
      topNames,
    );
  }
}
