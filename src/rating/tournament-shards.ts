// Tournament shards: the unit of work (one pipeline stage each) the pairings are split into.
// A shard holds the pairs between the same two entities, where an entity is an agent (all
// its checkpoints) or a reference player:
//   X+Y  every training-slice pair of agents X and Y (one per checkpoint)
//   X    the agent slice of X (every pair of its checkpoints)
//   X+R  X's fully trained checkpoint against reference player R
// A shard's membership thus depends only on the checkpoints it involves: adding a width
// adds shards (new agent with each old one, its slice, its references) and leaves every
// existing shard's id and pairs, so its key and its cached result, untouched.

import { compareAgents, comparePlayers, parseCheckpointPlayer, type Pairing } from './pairings.ts';

export interface Shard {
  /** Stable suffix: `X+Y`, `X` or `X+R` (letters, digits and -+@._ only). */
  id: string;
  /** Agents whose checkpoints the shard plays (one or two), in agent order. */
  agents: string[];
  /** Reference players of the shard (zero or one). */
  references: string[];
  /** Pairs in a fixed order: by a, then b (comparePlayers). */
  pairs: Pairing[];
}

function entityOf(player: string): { kind: 'agent' | 'reference'; name: string } {
  const parsed = parseCheckpointPlayer(player);
  return parsed ? { kind: 'agent', name: parsed.agent } : { kind: 'reference', name: player };
}

export function shardIdOf(pair: Pairing, entity: typeof entityOf = entityOf): string {
  const x = entity(pair.a);
  const y = entity(pair.b);
  if (x.kind === 'reference' && y.kind === 'reference') return [x.name, y.name].sort().join('+');
  if (x.kind === 'reference' || y.kind === 'reference') {
    const agent = x.kind === 'agent' ? x.name : y.name;
    const reference = x.kind === 'reference' ? x.name : y.name;
    return `${agent}+${reference}`;
  }
  if (x.name === y.name) return x.name;
  const [first, second] = [x.name, y.name].sort(compareAgents);
  return `${first}+${second}`;
}

/** Groups pairs into shards; shards in order of id. */
export function shardPairs(pairs: readonly Pairing[]): Shard[] {
  // The paper's plan has ~10^5 pairs of a few hundred players: each player's name is
  // parsed once, and ranked once, rather than at every comparison.
  const entities = new Map<string, ReturnType<typeof entityOf>>();
  const entity = (player: string) => entities.get(player) ?? entities.set(player, entityOf(player)).get(player)!;
  const byId = new Map<string, Shard>();
  for (const pair of pairs) {
    const id = shardIdOf(pair, entity);
    let shard = byId.get(id);
    if (!shard) {
      shard = { id, agents: [], references: [], pairs: [] };
      byId.set(id, shard);
    }
    for (const player of [pair.a, pair.b]) {
      const e = entity(player);
      const list = e.kind === 'agent' ? shard.agents : shard.references;
      if (!list.includes(e.name)) list.push(e.name);
    }
    shard.pairs.push(pair);
  }
  const rank = new Map([...entities.keys()].sort(comparePlayers).map((player, i) => [player, i]));
  const shards = [...byId.values()];
  for (const s of shards) {
    s.agents.sort(compareAgents);
    s.references.sort();
    s.pairs.sort((p, q) => rank.get(p.a)! - rank.get(q.a)! || rank.get(p.b)! - rank.get(q.b)!);
  }
  return shards.sort((p, q) => (p.id < q.id ? -1 : p.id > q.id ? 1 : 0));
}
