// The pipeline of this repository, declared with the engine's API. `npx repro run` brings
// it up to date; `npx repro status` says what is stale and why.
import { definePipeline, matrix } from './src/engine/index.ts';
import type { Params } from './schemas/types/params.ts';

export default definePipeline<Params>(() => ({
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
        outs: [{ path: `artifacts/solver-check/${game}.json`, verify: { fields: ['checks.*.positions', 'checks.*.correct', 'checks.*.meanNodes'], abs: 0 } }],
      }),
      ({ game }) => game,
    ),
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
