// The local executor: each stage runs in a child process (execa) under the tsx loader, with
// its output in the stage's log and an IPC channel for progress. TypeScript stages run in a
// pool of such processes (runner.ts --serve), each taking one job after another: a fresh
// process spends ~1.2 s loading tsx, tfjs and the study's modules, more than a tournament
// shard's matches take. A process that failed a job, or whose stage left handles behind, is
// not given another. Shell stages, stages that declare a GPU, and every stage under
// `freshProcesses` get a process of their own.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ResultPromise } from 'execa';
import { noteMessage, type Executor, type JobHandle, type JobReport, type JobResult } from './executor.ts';
import { SERVE, type PoolMessage, type StageJob, type StageMessage } from './job.ts';
import type { NormalStage } from '../project.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const TS_RUNNER = join(HERE, 'runner.ts');
const SHELL_RUNNER = join(HERE, 'shell-runner.mjs');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** The command line that runs one job file; cluster executors reuse it inside their jobs. */
export function runnerCommand(job: StageJob, jobFile: string): string[] {
  return 'shell' in job.run ? [process.execPath, SHELL_RUNNER, jobFile] : tsRunnerCommand(jobFile);
}

/** runner.ts under the tsx loader, on a job file or SERVE. */
function tsRunnerCommand(arg: string): string[] {
  return [process.execPath, '--import', TSX, TS_RUNNER, arg];
}

/** execa options every stage process shares: no stdin, an IPC channel, no colour codes in logs. */
const STAGE_PROCESS = {
  stdin: 'ignore',
  ipc: true,
  serialization: 'json',
  reject: false,
  // How long a stopped stage's process has to leave before it is killed outright.
  forceKillAfterDelay: 5000,
  env: { FORCE_COLOR: '0' },
} as const;

/** A job's result from how its process ended and what its messages said. */
function exitResult(r: { exitCode?: number; isTerminated: boolean; signal?: string }, report: JobReport, pid: number | undefined): JobResult {
  const ok = r.exitCode === 0 && !r.isTerminated;
  return {
    ok,
    error: ok ? undefined : r.isTerminated ? `killed by ${r.signal}` : (report.failure ?? `exited with code ${r.exitCode}`),
    peakRssMB: report.peakRssMB,
    facts: report.facts,
    jobId: pid === undefined ? undefined : String(pid),
  };
}

export interface LocalExecutorOptions {
  /** A process of its own for every stage, as for a stage that leaves global state behind it (default false). */
  freshProcesses?: boolean;
}

export class LocalExecutor implements Executor {
  readonly name = 'local';
  private readonly freshProcesses: boolean;
  private readonly idle: PooledRunner[] = [];

  constructor(options: LocalExecutorOptions = {}) {
    this.freshProcesses = options.freshProcesses ?? false;
  }

  start(stage: NormalStage, job: StageJob, jobFile: string, logFile: string, onMessage: (m: StageMessage) => void): JobHandle {
    // A GPU stage's process keeps its device memory while it lives (TensorFlow's allocator
    // does not give it back): it ends with the stage, so the next GPU stage finds the device free.
    if (this.freshProcesses || 'shell' in job.run || stage.resources.gpus > 0) return startFresh(job, jobFile, logFile, onMessage);
    let runner: PooledRunner | undefined;
    let cancelled = false;
    const run = async (): Promise<JobResult> => {
      runner = this.idle.pop() ?? (await PooledRunner.spawn(job.root));
      if (cancelled) {
        runner.stop();
        return { ok: false, error: 'cancelled before it started' };
      }
      const result = await runner.run(jobFile, logFile, onMessage);
      if (runner.reusable) this.idle.push(runner);
      else runner.stop();
      return result;
    };
    return {
      done: run(),
      cancel: () => {
        cancelled = true;
        runner?.stop();
      },
    };
  }

  /** Ends the idle pooled processes (they also end by themselves when this process does). */
  close(): void {
    for (const runner of this.idle.splice(0)) runner.stop();
  }
}

/** A stage in a process of its own, which exits when the stage ends. */
function startFresh(job: StageJob, jobFile: string, logFile: string, onMessage: (m: StageMessage) => void): JobHandle {
  const [cmd, ...args] = runnerCommand(job, jobFile);
  let child: ResultPromise | undefined;
  let cancelled = false;
  const run = async (): Promise<JobResult> => {
    // Loaded on first use: status and dry runs never start a process.
    const { execa } = await import('execa');
    if (cancelled) return { ok: false, error: 'cancelled before it started' };
    const proc = execa(cmd!, args, { ...STAGE_PROCESS, cwd: job.root, stdout: { file: logFile, append: true }, stderr: { file: logFile, append: true } });
    child = proc;
    const report: JobReport = { facts: {} };
    proc.on('message', (raw: unknown) => {
      const m = raw as StageMessage;
      noteMessage(report, m);
      onMessage(m);
    });
    return exitResult(await proc, report, proc.pid);
  };
  return {
    done: run(),
    cancel: () => {
      cancelled = true;
      child?.kill('SIGTERM');
    },
  };
}

/** A runner.ts --serve process: one job at a time. */
class PooledRunner {
  /** Whether it may take another job (set when a job ends). */
  reusable = false;
  private current: { logFile: string; onMessage: (m: StageMessage) => void; report: JobReport; settle: (r: JobResult) => void } | null = null;
  private exited = false;

  private constructor(private readonly proc: ResultPromise) {
    proc.on('message', (raw: unknown) => this.onMessage(raw as StageMessage | PoolMessage));
    // Output that bypasses the runner's redirection (native libraries writing to fd 1 or 2).
    for (const stream of [proc.stdout, proc.stderr]) stream?.on('data', (chunk: Buffer) => this.current && appendFileSync(this.current.logFile, chunk));
    void proc.then((r) => {
      this.exited = true;
      this.reusable = false;
      // A stage that ends its process mid-job: as for a process of its own, exit code 0 is a
      // success (the engine still checks its outputs).
      this.current?.settle(exitResult(r, this.current.report, proc.pid));
      this.current = null;
    });
    this.hold(false);
  }

  /** Starts a process and waits until it can take a job. */
  static async spawn(cwd: string): Promise<PooledRunner> {
    const { execa } = await import('execa');
    const [cmd, ...args] = tsRunnerCommand(SERVE);
    const proc = execa(cmd!, args, { ...STAGE_PROCESS, cwd, stdout: 'pipe', stderr: 'pipe', buffer: false });
    await new Promise<void>((resolve, reject) => {
      const onReady = (m: unknown) => {
        if ((m as PoolMessage).type !== 'ready') return;
        proc.off('message', onReady);
        resolve();
      };
      proc.on('message', onReady);
      void proc.then((r) => reject(new Error(`the stage runner exited before it was ready (code ${r.exitCode}${r.signal ? `, ${r.signal}` : ''})`)));
    });
    return new PooledRunner(proc);
  }

  run(jobFile: string, logFile: string, onMessage: (m: StageMessage) => void): Promise<JobResult> {
    return new Promise((settle) => {
      if (this.exited) return settle({ ok: false, error: 'the stage runner had exited' });
      this.current = { logFile, onMessage, report: { facts: {} }, settle };
      this.reusable = false;
      this.hold(true);
      this.proc.send({ type: 'run', jobFile, logFile });
    });
  }

  stop(): void {
    this.reusable = false;
    if (!this.exited) this.proc.kill('SIGTERM');
  }

  private onMessage(m: StageMessage | PoolMessage): void {
    const job = this.current;
    if (job === null) return;
    if (m.type === 'finished') {
      this.current = null;
      this.reusable = m.reusable;
      this.hold(false);
      job.report.peakRssMB = m.peakRssMB;
      job.report.failure = m.error ?? undefined;
      // The process lives on: the job ended as a process of its own would have exited.
      job.settle(exitResult({ exitCode: m.error === null ? 0 : 1, isTerminated: false }, job.report, this.proc.pid));
      return;
    }
    if (m.type === 'ready') return;
    noteMessage(job.report, m);
    job.onMessage(m);
  }

  /** A busy process keeps this one's event loop alive; an idle one must not keep it from exiting. */
  private hold(busy: boolean): void {
    const handles = [this.proc, this.proc.channel, this.proc.stdout, this.proc.stderr] as ({ ref(): void; unref(): void } | null | undefined)[];
    for (const h of handles) {
      if (busy) h?.ref();
      else h?.unref();
    }
  }
}
