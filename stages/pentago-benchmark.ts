// Stage: the agent behind the Pentago benchmark player (benchmark@pentago, declared by
// src/rating/tournament-plan.ts). Args (schemas/benchmark-stage-args.schema.json): the agents,
// finalStep, and pinned (an agent named by params) when not measured.
// Deps: artifacts/train/<agent> of every candidate, and the agent-pair shard results of the
// game (their final training slice decides the strongest).
// Params: tournament.references.pentago.benchmark, ratings.virtualDraws.
// Out (outs[0], a directory): selection.json (schemas/pentago-benchmark.schema.json) and
// checkpoint/, a copy of the chosen agent's final checkpoint. Benchmark shards depend on this
// directory alone, so when a new width changes nothing about the choice, the output is
// byte-identical and every benchmark shard stays cached.

import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StageContext } from '../src/engine/context.ts';
import { assertValid, readJsonValidated, writeJsonValidated } from '../src/engine/json.ts';
import { strongestAgent } from '../src/rating/benchmark-selection.ts';
import { checkpointDir } from '../src/rating/players/checkpoints.ts';
import { trainDir } from '../src/rating/artifact-paths.ts';
import type { BenchmarkStageArgs } from '../schemas/types/benchmark-stage-args.ts';
import type { PentagoBenchmarkSelection } from '../schemas/types/pentago-benchmark.ts';
import type { TournamentShard } from '../schemas/types/tournament-shard.ts';

const SCHEMAS = join(import.meta.dirname, '..', 'schemas');

export async function run(ctx: StageContext): Promise<void> {
  const out = ctx.outs[0];
  if (out === undefined) throw new Error(`${ctx.id}: declare one output (the benchmark directory)`);
  const args = assertValid<BenchmarkStageArgs>(join(SCHEMAS, 'benchmark-stage-args.schema.json'), ctx.args, `${ctx.id} args`);
  let selection: PentagoBenchmarkSelection;
  if (args.pinned !== undefined) {
    selection = { agent: args.pinned, step: args.finalStep, chosenBy: 'pinned' };
    ctx.log(`benchmark agent ${args.pinned} (pinned by params)`);
  } else {
    const shards = ctx.deps
      .filter((dep) => dep.endsWith('.json'))
      .map((dep) => readJsonValidated<TournamentShard>(join(SCHEMAS, 'tournament-shard.schema.json'), dep));
    const choice = strongestAgent(args.agents, shards, args.finalStep, ctx.param<number>('ratings.virtualDraws'));
    for (const r of choice.ranking) ctx.log(`  ${r.agent.padEnd(20)} ${r.elo.toFixed(1)} Elo (final slice, Bradley–Terry)`);
    ctx.log(`benchmark agent ${choice.agent}: the strongest of ${args.agents.length} fully trained agents`);
    ctx.record({ benchmarkRanking: choice.ranking });
    selection = { agent: choice.agent, step: args.finalStep, chosenBy: 'strongest-final-slice' };
  }
  mkdirSync(out, { recursive: true });
  cpSync(checkpointDir(ctx.dep(trainDir(selection.agent)), selection.step), join(out, 'checkpoint'), { recursive: true });
  writeJsonValidated(join(SCHEMAS, 'pentago-benchmark.schema.json'), join(out, 'selection.json'), selection);
}
