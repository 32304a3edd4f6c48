// Worker threads that run a TypeScript module. Whatever loader runs us (tsx, vitest) is not
// inherited by a worker, so a small bootstrap registers tsx in the worker before importing
// the module; tsx is resolved from here so nothing depends on the working directory. A
// failure to load is posted as { type: 'error', message }, as the modules post their own.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startTypeScriptWorker(entry: URL, workerData: unknown, transferList: WorkerOptions['transferList'] = []): Worker {
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  // The ESM entry of tsx/esm/api, which require.resolve would not pick.
  const tsxApi = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const bootstrap = `(async () => { (await import(${JSON.stringify(tsxApi)})).register(); await import(${JSON.stringify(entry.href)}); })()
    .catch((e) => { require('node:worker_threads').parentPort.postMessage({ type: 'error', message: String(e && e.stack || e) }); });`;
  return new Worker(bootstrap, { eval: true, workerData, transferList });
}
