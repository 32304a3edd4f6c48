// Which agent stands behind the Pentago benchmark player. The paper used its best agent; here
// "best" is measured, not assumed: a Bradley–Terry fit of the final training slice (every
// fully trained agent against every other, from the agent-pair shards) and the highest Elo.
// Virtual draws keep an undefeated agent's rating finite; exact Elo ties go to the larger
// width, then the lower copy, so the choice is a function of the results alone.

import type { TournamentShard } from '../../schemas/types/tournament-shard.ts';
import { fitBradleyTerry } from './bradley-terry.ts';
import { compareAgents, parseAgentName, parseCheckpointPlayer } from './pairings.ts';
import { resultsFromShards, withVirtualDraws } from './tournament-ratings.ts';

export interface BenchmarkChoice {
  agent: string;
  /** Elo of each candidate in the final-slice fit, strongest first (empty when there was one candidate). */
  ranking: { agent: string; elo: number }[];
}

export function strongestAgent(agents: readonly string[], shards: readonly TournamentShard[], finalStep: number, virtualDraws: number): BenchmarkChoice {
  if (agents.length === 0) throw new Error('benchmark: no trained agents to choose from');
  if (agents.length === 1) return { agent: agents[0]!, ranking: [] };
  const finals = new Set(agents.map((a) => `${a}@${finalStep}`));
  const finalSlice = resultsFromShards(shards.map((s) => ({ ...s, results: s.results.filter((r) => finals.has(r.first) && finals.has(r.second)) })));
  const missing = [...finals].filter((p) => !finalSlice.players.includes(p));
  if (missing.length > 0) {
    throw new Error(`benchmark: no final-slice games for ${missing.join(', ')}; the pair shards of these agents must be deps of benchmark@pentago`);
  }
  const fit = fitBradleyTerry(withVirtualDraws(finalSlice, Math.max(virtualDraws, 1)));
  const ranking = fit.players.map((p, i) => ({ agent: parseCheckpointPlayer(p)!.agent, elo: fit.elo[i]! }));
  ranking.sort((x, y) => y.elo - x.elo || preferLarger(x.agent, y.agent));
  return { agent: ranking[0]!.agent, ranking };
}

/** Larger width first, then lower copy. */
function preferLarger(x: string, y: string): number {
  const a = parseAgentName(x)!;
  const b = parseAgentName(y)!;
  return b.width - a.width || a.copy - b.copy || compareAgents(x, y);
}
