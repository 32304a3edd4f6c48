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
  peakRssMB?: number;
  executor?: string;
  jobId?: string;
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
