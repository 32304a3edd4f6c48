// Stage: the ratings of one game (elo@<game>, declared by src/rating/tournament-plan.ts).
// Deps: every tournament shard result of the game (schemas/tournament-shard.schema.json).
// Params: ratings (bootstrapResamples, level, virtualDraws). Seed: the bootstrap's.
// Outs: outs[0] the Bradley–Terry table, outs[1] the BayesElo table
// (schemas/rating-table.schema.json), each with bootstrap intervals, the random player at 0.

import { join } from 'node:path';
import type { StageContext } from '../src/engine/context.ts';
import { readJsonValidated, writeJsonValidated } from '../src/engine/json.ts';
import { rateTournament, resultsFromShards } from '../src/rating/tournament-ratings.ts';
import type { RatingSettings } from '../schemas/types/params.ts';
import type { TournamentShard } from '../schemas/types/tournament-shard.ts';

const SCHEMAS = join(import.meta.dirname, '..', 'schemas');

export async function run(ctx: StageContext): Promise<void> {
  const [btOut, beOut] = ctx.outs;
  if (btOut === undefined || beOut === undefined) throw new Error(`${ctx.id}: declare two outputs (Bradley–Terry table, BayesElo table)`);
  const settings = ctx.param<RatingSettings>('ratings');
  const shards = ctx.deps.map((dep) => readJsonValidated<TournamentShard>(join(SCHEMAS, 'tournament-shard.schema.json'), dep));
  const results = resultsFromShards(shards);
  ctx.log(`${results.players.length} players, ${results.first.length} ordered pairs from ${shards.length} shards`);
  const started = Date.now();
  const { bradleyTerry, bayesElo } = rateTournament(results, { ...settings, seed: ctx.seed });
  ctx.record({ ratingSeconds: (Date.now() - started) / 1000, players: results.players.length });
  writeJsonValidated(join(SCHEMAS, 'rating-table.schema.json'), btOut, bradleyTerry);
  writeJsonValidated(join(SCHEMAS, 'rating-table.schema.json'), beOut, bayesElo);
}
