// The seam between the scheduler and where stages run: locally as child processes, or as
// cluster jobs. An executor runs `repro`'s stage runner on a job file and reports back.
import type { StageJob, StageMessage } from './job.ts';
import type { NormalStage } from '../project.ts';

export interface JobHandle {
  /** Resolves when the job has ended. */
  done: Promise<JobResult>;
  /** Stops the job (Ctrl-C on the scheduler). */
  cancel(): void;
  /** Executor-specific id (a pid, a Slurm job id). */
  id?: string;
}

export interface JobResult {
  ok: boolean;
  /** Why it failed, in words (exit code, signal, job state). */
  error?: string;
  peakRssMB?: number;
  facts?: Record<string, unknown>;
  jobId?: string;
}

export interface Executor {
  readonly name: string;
  /** Checks, before any stage starts, that every stage can run here at all. */
  preflight?(stages: NormalStage[]): Promise<void>;
  start(stage: NormalStage, job: StageJob, jobFile: string, logFile: string, onMessage: (m: StageMessage) => void): JobHandle;
  /** Releases what the executor keeps between jobs (the local executor's idle processes); it may start jobs again after. */
  close?(): void;
}

/** What a job's messages say for its result: the stage's recorded facts, its peak memory, and why it failed. */
export interface JobReport {
  facts: Record<string, unknown>;
  peakRssMB?: number;
  failure?: string;
}

/** Keeps what `m` says for the job's result (progress messages say nothing to it). */
export function noteMessage(report: JobReport, m: StageMessage): void {
  if (m.type === 'rss') report.peakRssMB = m.peakRssMB;
  else if (m.type === 'error') report.failure = m.message;
  else if (m.type === 'record') Object.assign(report.facts, m.facts);
}
