/* Generated from schemas/show.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * repro show --json: per stage, what its lock record and its run records say of the outputs in place. Reasons, lock records and run records appear as status, lockfile and run-record schemas define them.
 */
export interface ShowReport {
  stages: StageShow[];
}
export interface StageShow {
  id: string;
  state: 'fresh' | 'stale' | 'missing';
  /**
   * Why the stage is not fresh, as repro status says.
   */
  reasons: import('./status.ts').StaleReason[];
  /**
   * The lock record's path from the pipeline root; null before the stage's first run.
   */
  lockFile: string | null;
  lock: import('./lockfile.ts').LockRecord | null;
  /**
   * The newest run record of a run that computed the outputs the lock record names (outcome 'ran', the same key); null when none is here: computed on another machine, or its record pruned.
   */
  computed: import('./run-record.ts').RunRecord | null;
  /**
   * The stage's newest run record, whatever its outcome.
   */
  lastRun: import('./run-record.ts').RunRecord | null;
  /**
   * How many run records the stage has under .repro/runs/.
   */
  runRecords: number;
}
