// The job file: everything a child process needs to run one stage, written by the
// scheduler (or an executor) into the stage's staging directory.
import type { StageCode } from '../declare.ts';
import type { GitFacts } from '../../../schemas/types/run-record.ts';

export interface StageJob {
  id: string;
  root: string;
  run: StageCode;
  /** Absolute module path and export name of a TypeScript stage. */
  module?: string;
  exportName?: string;
  /** The declared params only, nested as in params.json. */
  params: Record<string, unknown>;
  paramKeys: string[];
  /** Declared dep paths as written → absolute paths. */
  deps: [string, string][];
  /** Declared out paths as written → absolute staging paths. */
  outs: [string, string][];
  seed: number | null;
  args: Record<string, unknown>;
  workDir: string;
  /** The checkout the run started from (see StageContext.git). */
  git: GitFacts;
  /**
   * The CUDA devices the stage may use, which its process sees as CUDA_VISIBLE_DEVICES (none
   * for a stage that declares no GPU). Absent: the environment's, as a Slurm GPU job's.
   */
  gpuDevices?: string[];
}

/** Messages a running stage sends its scheduler over IPC. */
export type StageMessage =
  | { type: 'progress'; done: number; total: number; label?: string }
  | { type: 'record'; facts: Record<string, unknown> }
  | { type: 'rss'; peakRssMB: number }
  /** Why the stage failed, in a line (its whole error is in the log). */
  | { type: 'error'; message: string };

/** runner.ts's argument for a pooled process, in place of a job file. */
export const SERVE = '--serve';

/** What a pooled runner process (runner.ts --serve) tells the local executor, beside its stages' StageMessages. */
export type PoolMessage =
  | { type: 'ready' }
  /** A job ended, with why it failed in a line (null: it succeeded); `reusable`: the process can take another. */
  | { type: 'finished'; error: string | null; reusable: boolean; peakRssMB: number };
