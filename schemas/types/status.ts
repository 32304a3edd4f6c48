/* Generated from schemas/status.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * What `repro status --json` prints.
 */
export interface StatusReport {
  stages: StageStatus[];
}
export interface StageStatus {
  id: string;
  state: 'fresh' | 'stale' | 'missing';
  reasons: StaleReason[];
  job?: ClusterJob;
}
export interface StaleReason {
  /**
   * param also covers the seed and args; dep also covers declared environment variables (path env:NAME).
   */
  kind: 'param' | 'code' | 'dep' | 'upstream' | 'output' | 'new';
  path?: string;
  key?: string;
  old?: unknown;
  new?: unknown;
  /**
   * The reason in words, as the text output prints it.
   */
  message: string;
}
export interface ClusterJob {
  executor: string;
  id: string;
  state: string;
}
