// Stage: one tournament shard (tournament@<shard>, declared by src/rating/tournament-plan.ts).
// Args (schemas/tournament-shard-args.schema.json): game, shard, pairs of player names,
// finalStep, and where needed board, book (Connect Four opening book dep), benchmark (the
// output of benchmark@pentago).
// Deps: artifacts/train/<agent> of every agent named in the pairs, and those two where used.
// Params: tournament.gamesPerPair, .simulations, .c, .temperature, .concurrentGames,
// .cacheSize, az.backend; tournament.references.pentago.benchmark in benchmark shards.
// Output (outs[0]): wins/draws/losses per ordered pair (schemas/tournament-shard.schema.json).
// Same args, deps, params, seed and backend give the same bytes; speed goes to the run record.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StageContext } from '../src/engine/context.ts';
import { assertValid, readJsonValidated, writeJsonValidated } from '../src/engine/json.ts';
import { PolicyValueNetwork } from '../src/az/network.ts';
import { selectBackend, type BackendName } from '../src/az/backend.ts';
import { getGame, type AnyGame } from '../src/games/index.ts';
import { OpeningBook } from '../src/solvers/connect4/opening-book.ts';
import { loadCheckpoint } from '../src/rating/players/checkpoints.ts';
import { createPlayer, type PlayerContext } from '../src/rating/players/factory.ts';
import { trainDir } from '../src/rating/artifact-paths.ts';
import { playPairs, shardArtifact } from '../src/rating/tournament-play.ts';
import type { PentagoBenchmark } from '../schemas/types/params.ts';
import type { PentagoBenchmarkSelection } from '../schemas/types/pentago-benchmark.ts';
import type { TournamentShardArgs } from '../schemas/types/tournament-shard-args.ts';

const SCHEMAS = join(import.meta.dirname, '..', 'schemas');

export async function run(ctx: StageContext): Promise<void> {
  const out = ctx.outs[0];
  if (out === undefined) throw new Error(`${ctx.id}: declare one output (the shard's results JSON)`);
  const args = assertValid<TournamentShardArgs>(join(SCHEMAS, 'tournament-shard-args.schema.json'), ctx.args, `${ctx.id} args`);
  const backend = await selectBackend({ force: ctx.param<BackendName | 'auto'>('az.backend'), log: (line) => ctx.log(line) });
  ctx.record({ tfBackend: backend.name, tfDevice: backend.device });

  const game: AnyGame = args.game === 'connect4' ? getGame('connect4', args.board ?? {}) : getGame('pentago');
  const settings = {
    simulations: ctx.param<number>('tournament.simulations'),
    c: ctx.param<number>('tournament.c'),
    temperature: ctx.param<number>('tournament.temperature'),
  };
  const players: PlayerContext = {
    game,
    loadNetwork: (agent, step) => loadCheckpoint(ctx.dep(trainDir(agent)), step),
    search: { ...settings, cacheSize: ctx.param<number>('tournament.cacheSize') },
  };
  if (args.book !== undefined) players.book = OpeningBook.deserialize(new Uint8Array(readFileSync(ctx.dep(args.book))), args.book);
  if (args.benchmark !== undefined) {
    const benchmark = ctx.param<PentagoBenchmark | null>('tournament.references.pentago.benchmark');
    if (!benchmark) throw new Error(`${ctx.id}: args name a benchmark but params.json tournament.references.pentago.benchmark is null`);
    const dir = ctx.dep(args.benchmark);
    const selection = readJsonValidated<PentagoBenchmarkSelection>(join(SCHEMAS, 'pentago-benchmark.schema.json'), join(dir, 'selection.json'));
    players.benchmark = {
      agent: selection.agent,
      step: selection.step,
      load: () => PolicyValueNetwork.load(join(dir, 'checkpoint')),
      simulationsFactor: benchmark.simulationsFactor,
      solverEmpties: benchmark.solverEmpties,
    };
  }

  const gamesPerPair = ctx.param<number>('tournament.gamesPerPair');
  const started = Date.now();
  let plies = 0;
  const results = await playPairs(game, args.pairs as [string, string][], (name) => createPlayer(name, players), {
    gamesPerPair,
    concurrentGames: ctx.param<number>('tournament.concurrentGames'),
    seed: ctx.seed,
    onPair: (done, total, pairPlies) => {
      plies += pairPlies;
      ctx.progress(done, total, `pair ${done}/${total}`);
    },
  });
  const seconds = (Date.now() - started) / 1000;
  const games = gamesPerPair * args.pairs.length;
  ctx.log(`${args.pairs.length} pairs, ${games} games, ${plies} plies in ${seconds.toFixed(1)} s`);
  ctx.record({ matchSeconds: seconds, games, plies, gamesPerSecond: seconds > 0 ? games / seconds : null });
  writeJsonValidated(join(SCHEMAS, 'tournament-shard.schema.json'), out, shardArtifact({ game: args.game, shard: args.shard, gamesPerPair, settings }, results));
}
