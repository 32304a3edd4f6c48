import { describe, expect, it } from 'vitest';
import { strongestAgent } from '../../src/rating/benchmark-selection.ts';
import type { TournamentShard } from '../../schemas/types/tournament-shard.ts';

/** A shard in which `a` scored `score` (of `games`) against `b` at every listed step, half the games moving first. */
function shard(a: string, b: string, wins: number, losses: number, steps: number[]): TournamentShard {
  return {
    game: 'pentago',
    shard: `${a}+${b}`,
    gamesPerPair: wins + losses,
    settings: { simulations: 8, c: 2, temperature: 0.25 },
    results: steps.flatMap((step) => [
      { first: `${a}@${step}`, second: `${b}@${step}`, wins: wins / 2, draws: 0, losses: losses / 2 },
      { first: `${b}@${step}`, second: `${a}@${step}`, wins: losses / 2, draws: 0, losses: wins / 2 },
    ]),
  } as TournamentShard;
}

describe('the Pentago benchmark agent', () => {
  const agents = ['pentago-w4-c0', 'pentago-w16-c0', 'pentago-w64-c0'];

  it('is the strongest in the final training slice, whatever earlier checkpoints did', () => {
    const shards = [
      // At step 1 the small agent wins everything; at the final step 10 the middle one is best.
      shard('pentago-w4-c0', 'pentago-w16-c0', 8, 0, [1]),
      shard('pentago-w4-c0', 'pentago-w16-c0', 2, 6, [10]),
      shard('pentago-w4-c0', 'pentago-w64-c0', 8, 0, [1]),
      shard('pentago-w4-c0', 'pentago-w64-c0', 4, 4, [10]),
      shard('pentago-w16-c0', 'pentago-w64-c0', 6, 2, [1, 10]),
    ];
    const choice = strongestAgent(agents, shards, 10, 1);
    expect(choice.agent).toBe('pentago-w16-c0');
    expect(choice.ranking.map((r) => r.agent)).toEqual(['pentago-w16-c0', 'pentago-w64-c0', 'pentago-w4-c0']);
  });

  it('stays finite for an undefeated agent, breaks exact ties toward the larger width, and needs every candidate to have played', () => {
    const undefeated = [shard('pentago-w4-c0', 'pentago-w16-c0', 0, 8, [5]), shard('pentago-w4-c0', 'pentago-w64-c0', 0, 8, [5]), shard('pentago-w16-c0', 'pentago-w64-c0', 0, 8, [5])];
    const choice = strongestAgent(agents, undefeated, 5, 0);
    expect(choice.agent).toBe('pentago-w64-c0');
    expect(choice.ranking.every((r) => Number.isFinite(r.elo))).toBe(true);
    const tied = [shard('pentago-w4-c0', 'pentago-w16-c0', 4, 4, [5])];
    expect(strongestAgent(agents.slice(0, 2), tied, 5, 1).agent).toBe('pentago-w16-c0');
    expect(() => strongestAgent(agents, tied, 5, 1)).toThrow(/no final-slice games for pentago-w64-c0@5/);
    expect(strongestAgent(['pentago-w8-c1'], [], 5, 1)).toEqual({ agent: 'pentago-w8-c1', ranking: [] });
  });
});
