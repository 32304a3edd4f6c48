// The environment that decides a tfjs backend, for the keys of the stages that run networks
// (pipeline.ts, tournament-plan.ts). Apart from backend.ts on purpose: pipeline.ts loads this
// for every repro command, and backend.ts loads TensorFlow.js.
import type { AzParams } from '../../schemas/types/params.ts';

/** Picks the backend where az.backend is 'auto' (backend.ts). */
export const BACKEND_ENV = 'REPRO_BACKEND';

/** The variables a stage keys on: REPRO_BACKEND decides its backend, and so its bytes, only under 'auto'. */
export function backendEnv(backend: AzParams['backend']): string[] {
  return backend === 'auto' ? [BACKEND_ENV] : [];
}
