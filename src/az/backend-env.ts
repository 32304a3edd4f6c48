// What decides a tfjs backend, for the keys of the stages that run networks (pipeline.ts,
// tournament-plan.ts): the environment variable that picks one, and the packages that
// provide them. Apart from backend.ts on purpose: pipeline.ts loads this for every repro
// command, and backend.ts loads TensorFlow.js.
import type { AzParams } from '../../schemas/types/params.ts';

/** Picks the backend where az.backend is 'auto' (backend.ts). */
export const BACKEND_ENV = 'REPRO_BACKEND';

export type BackendName = Exclude<AzParams['backend'], 'auto'>;

/** The package each backend is, loaded by name at run time (backend.ts): the code hash cannot see them. */
export const BACKEND_PACKAGES: Record<BackendName, string> = {
  'node-gpu': '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/**
 * The key facts of a stage on `backend`: under 'auto', REPRO_BACKEND and every backend
 * package (which are installed decides the backend, and each one's version its bytes);
 * otherwise only the package of the backend named.
 */
export function backendKeyFacts(backend: AzParams['backend']): { env: string[]; packages: string[] } {
  if (backend === 'auto') return { env: [BACKEND_ENV], packages: Object.values(BACKEND_PACKAGES) };
  return { env: [], packages: [BACKEND_PACKAGES[backend]] };
}
