/* Generated from schemas/run-record.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * .repro/runs/<stage-id>/<start>.json: the volatile facts of one stage execution, never part of a key.
 */
export interface RunRecord {
  id: string;
  key: string;
  outcome: 'ran' | 'restored' | 'failed';
  /**
   * ISO time the stage started.
   */
  start: string;
  durationMs: number;
  host: string;
  node: string;
  platform: string;
  git?: GitFacts;
  /**
   * The stage process's peak resident memory in MiB: the process's own peak in a process of its own; in a pooled local process, the highest of its samples (every 100 ms) while the stage ran, which includes what earlier stages in that process left allocated.
   */
  peakRssMB?: number;
  executor?: string;
  jobId?: string;
  /**
   * The CUDA devices the stage was given: its CUDA_VISIBLE_DEVICES, empty for a stage that declares no GPU. Absent for a GPU stage whose executor places the GPUs itself (Slurm's --gres).
   */
  gpuDevices?: string[];
  log?: string;
  error?: string;
  /**
   * Facts the stage recorded itself (backend, …).
   */
  facts?: {};
}
export interface GitFacts {
  commit?: string | null;
  dirty?: boolean;
}
