// The pipeline of this repository, declared with the engine's API. `npx repro run` brings
// it up to date; `npx repro status` says what is stale and why.
import { definePipeline, matrix } from './src/engine/index.ts';
import type { Params } from './schemas/types/params.ts';
import { forwardFlops, studyNetworkShape } from './src/az/network-shape.ts';
import { backendKeyFacts } from './src/az/backend-env.ts';
import { BENCHMARK_DIR, fitsOutput, ratingTableOutput, trainDir } from './src/rating/artifact-paths.ts';
import { agentsOf, tournamentStages } from './src/rating/tournament-plan.ts';

const TRAIN_PARAMS = [
  'train.steps', 'train.checkpoints', 'train.bufferSize', 'train.reuse', 'train.batchSize', 'train.lr', 'train.weightDecay',
  'mcts.simulations', 'mcts.c', 'mcts.dirichletAlpha', 'mcts.dirichletEpsilon', 'mcts.temperaturePlies',
  'selfplay.concurrentGames', 'selfplay.cacheSize', 'selfplay.workers', 'az.backend',
];

/** Whether the study has a Pentago benchmark player (the report then describes it). */
const pentagoBenchmark = (params: Params): boolean => params.study.games.includes('pentago') && params.tournament.references.pentago.benchmark !== null;

/** A figure or report path of this profile: the default profile's are the published ones (study.publishDir). */
const published = (params: Params, path: string): string => `${params.study.publishDir}/${path}`;

export default definePipeline<Params>((params) => ({
  stages: [
    // The study's ground truth: every game engine and solver proven before any agent trains.
    ...matrix(
      'solver-check',
      { game: ['connect4', 'pentago'] as const },
      ({ game }) => ({
        run: { module: 'stages/solver-check.ts' },
        deps: game === 'connect4' ? ['data/connect4'] : [],
        params: [`solverCheck.${game}`],
        args: { game },
        seed: 1,
        // Times vary from run to run; counts and node numbers must reproduce exactly.
        outs: [
          { path: `artifacts/solver-check/${game}.json`, verify: { fields: ['checks.*.positions', 'checks.*.correct', 'checks.*.meanNodes'], abs: 0 } },
          `artifacts/solver-check/${game}.untimed.json`,
        ],
      }),
      ({ game }) => game,
    ),
    // The perfect player's opening book, where a profile can afford it (hours to days of CPU).
    ...(params.book.depth === null
      ? []
      : [
          {
            id: 'opening-book@connect4',
            run: { module: 'stages/opening-book.ts' },
            deps: ['artifacts/solver-check/connect4.untimed.json'],
            params: ['book.depth'],
            resources: { cpus: params.book.cpus, memoryMB: 4096 },
            outs: ['artifacts/connect4/opening-book.bin'],
          },
        ]),
    // One AlphaZero agent per (game, width, copy), after its game passed solver-check.
    ...params.study.games.flatMap((game) =>
      matrix(
        'train',
        { width: params.study.widths[game], copy: Array.from({ length: params.study.copies }, (_, c) => c) },
        ({ width, copy }) => ({
          run: { module: 'stages/train.ts' },
          deps: [`artifacts/solver-check/${game}.untimed.json`],
          params: TRAIN_PARAMS,
          ...backendKeyFacts(params.az.backend),
          args: { game, width, copy, ...(game === 'connect4' && params.study.connect4Board ? { board: params.study.connect4Board } : {}) },
          seed: params.study.seed,
          // Self-play's worker threads, and the GPU the native backend trains on (az.gpus).
          resources: { cpus: params.selfplay.workers, gpus: params.az.gpus },
          // The paper's C = S·T·F·D: steps × simulations × forward FLOPs × states per step.
          estimate: { flops: params.train.steps * params.mcts.simulations * forwardFlops(studyNetworkShape(game, width, game === 'connect4' ? params.study.connect4Board : undefined)) * Math.floor(params.train.bufferSize / params.train.reuse) },
          outs: [`artifacts/train/${game}-w${width}-c${copy}`],
        }),
        ({ width, copy }) => `${game}-w${width}-c${copy}`,
      ),
    ),
    // Tournaments in shards whose keys involve only their own checkpoints, then ratings and fits per game.
    ...tournamentStages(params),
    // The paper's five figures per game, and the report.
    {
      id: 'figures',
      run: { module: 'stages/figures.ts' },
      deps: params.study.games.flatMap((game) => [fitsOutput(game), ratingTableOutput(game, params.fits.eloMethod), ...agentsOf(params, game).map(trainDir)]),
      outs: [published(params, 'figures'), { path: published(params, 'figures.data.json'), verify: { fields: ['figures'], rel: 1e-6, abs: 1e-9 } }],
    },
    {
      id: 'report',
      run: { module: 'stages/report.ts' },
      deps: [published(params, 'figures'), ...params.study.games.map(fitsOutput), ...(pentagoBenchmark(params) ? [BENCHMARK_DIR] : [])],
      params: [...(pentagoBenchmark(params) ? ['tournament.references.pentago.benchmark'] : []), 'study.widths', 'study.copies', 'train.steps', 'train.checkpoints', 'train.bufferSize', 'train.reuse', 'train.batchSize', 'mcts.simulations', 'tournament.gamesPerPair', 'tournament.simulations', 'tournament.temperature'],
      outs: [{ path: published(params, 'report/index.html'), verify: 'none' }],
    },
    {
      id: 'demo-count',
      run: { module: 'stages/demo.ts', export: 'countWords' },
      deps: ['data/demo/corpus.txt'],
      params: ['demo.minWordLength'],
      outs: ['artifacts/demo/counts.json'],
    },
    {
      id: 'demo-top',
      run: { module: 'stages/demo.ts', export: 'topWords' },
      deps: ['artifacts/demo/counts.json'],
      params: ['demo.top'],
      outs: [{ path: 'artifacts/demo/top.json', verify: { fields: ['top.*.count'], abs: 0 } }],
    },
    {
      id: 'demo-summary',
      run: { shell: 'printf "%s distinct words, top: %s\\n" "$(grep -c : "$REPRO_DEP_0")" "$(tr -d " \\n" < "$REPRO_DEP_1")" > "$REPRO_OUT_0"' },
      deps: ['artifacts/demo/counts.json', 'artifacts/demo/top.json'],
      outs: ['artifacts/demo/summary.txt'],
    },
  ],
}));
