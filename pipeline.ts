// The pipeline of this repository, declared with the engine's API. `npx repro run` brings
// it up to date; `npx repro status` says what is stale and why.
import { definePipeline } from './src/engine/index.ts';
import type { Params } from './schemas/types/params.ts';

export default definePipeline<Params>(() => ({
  stages: [
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
