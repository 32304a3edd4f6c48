/* Generated from schemas/executor.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * The `executor` section of params.json (per profile, through its overlay): how cluster executors submit stages. CLI flags override it.
 */
export interface ExecutorParams {
  slurm?: SlurmConfig;
}
export interface SlurmConfig {
  /**
   * sbatch --partition (default: the cluster's default partition).
   */
  partition?: string;
  /**
   * sbatch --account.
   */
  account?: string;
  /**
   * sbatch --qos.
   */
  qos?: string;
  /**
   * Further sbatch arguments, passed as they are (e.g. --constraint=a100).
   */
  extraArgs?: string[];
  /**
   * Seconds between squeue polls (default 5).
   */
  pollSeconds?: number;
  /**
   * Jobs in the queue at once (default 100).
   */
  maxJobs?: number;
}
