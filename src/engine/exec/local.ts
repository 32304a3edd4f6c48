// The local executor: each stage is a child process (execa) running the stage runner
// under the tsx loader, with its output in the stage's log and an IPC channel for progress.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ResultPromise } from 'execa';
import type { Executor, JobHandle, JobResult } from './executor.ts';
import type { StageJob, StageMessage } from './job.ts';
import type { NormalStage } from '../project.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const TS_RUNNER = join(HERE, 'runner.ts');
const SHELL_RUNNER = join(HERE, 'shell-runner.mjs');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** The command line that runs one job file; cluster executors reuse it inside their jobs. */
export function runnerCommand(job: StageJob, jobFile: string): string[] {
  return 'shell' in job.run ? [process.execPath, SHELL_RUNNER, jobFile] : [process.execPath, '--import', TSX, TS_RUNNER, jobFile];
}

export class LocalExecutor implements Executor {
  readonly name = 'local';

  start(stage: NormalStage, job: StageJob, jobFile: string, logFile: string, onMessage: (m: StageMessage) => void): JobHandle {
    const [cmd, ...args] = runnerCommand(job, jobFile);
    let child: ResultPromise | undefined;
    let cancelled = false;
    const run = async (): Promise<JobResult> => {
      // Loaded on first use: status and dry runs never start a process.
      const { execa } = await import('execa');
      if (cancelled) return { ok: false, error: 'cancelled before it started' };
      const proc = execa(cmd!, args, {
        cwd: job.root,
        stdin: 'ignore',
        stdout: { file: logFile, append: true },
        stderr: { file: logFile, append: true },
        ipc: true,
        serialization: 'json',
        reject: false,
        forceKillAfterDelay: 5000,
        env: { FORCE_COLOR: '0' },
      });
      child = proc;
      let peakRssMB: number | undefined;
      const facts: Record<string, unknown> = {};
      proc.on('message', (raw: unknown) => {
        const m = raw as StageMessage;
        if (m.type === 'rss') peakRssMB = m.peakRssMB;
        else if (m.type === 'record') Object.assign(facts, m.facts);
        onMessage(m);
      });
      const r = await proc;
      const ok = r.exitCode === 0 && !r.isTerminated;
      return {
        ok,
        error: ok ? undefined : r.isTerminated ? `killed by ${r.signal}` : `exited with code ${r.exitCode}`,
        peakRssMB,
        facts,
        jobId: proc.pid === undefined ? undefined : String(proc.pid),
      };
    };
    return {
      done: run(),
      cancel: () => {
        cancelled = true;
        child?.kill('SIGTERM');
      },
    };
  }
}
