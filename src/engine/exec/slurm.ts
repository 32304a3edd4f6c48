// The Slurm executor: the scheduler stays on the login node and each ready stage becomes
// one `sbatch` job running the stage runner in the same checkout on the shared filesystem.
// Job states are polled (squeue, then scontrol/sacct once a job leaves the queue); the
// scheduler judges completion by the job's state and then by the outputs it finds, and
// writes the lock itself after hashing them. Cancelling (Ctrl-C) scancels exactly the jobs
// this run submitted.
import { writeFileSync, readFileSync, existsSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../errors.ts';
import { noteMessage, type Executor, type JobHandle, type JobReport, type JobResult } from './executor.ts';
import type { StageJob, StageMessage } from './job.ts';
import { runnerCommand } from './local.ts';
import type { NormalStage } from '../project.ts';
import { recordJob, forgetJob } from './job-registry.ts';
import type { SlurmConfig } from '../../../schemas/types/executor.ts';

export type { SlurmConfig };

interface Tracked {
  id: string;
  state: string;
  reason: string;
  settle: (r: JobResult) => void;
  messages: string;
  offset: number;
  onMessage: (m: StageMessage) => void;
  report: JobReport;
  stageId: string;
}

const FINAL_OK = 'COMPLETED';
const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE', 'REVOKED', 'SPECIAL_EXIT']);
/** Pending reasons that never resolve by waiting. */
const HOPELESS = new Set(['PartitionConfig', 'BadConstraints', 'PartitionNodeLimit', 'PartitionTimeLimit', 'AccountNotAllowed', 'QOSMaxCpuPerJobLimit', 'InvalidAccount', 'InvalidQOS']);

const run = async (cmd: string, args: string[], timeoutMs = 60_000) => {
  const { execa } = await import('execa');
  return execa(cmd, args, { reject: false, timeout: timeoutMs, stdin: 'ignore' });
};

function missing(cmd: string): InputError {
  return new InputError(`${cmd} not found: the Slurm executor needs Slurm's client commands (sbatch, squeue, scontrol, scancel, sinfo) on PATH`, 'install the Slurm client on this host (Debian: slurm-client), or run with --executor local');
}

export class SlurmExecutor implements Executor {
  readonly name = 'slurm';
  private readonly tracked = new Map<string, Tracked>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(
    private readonly config: SlurmConfig,
    private readonly reproDir: string,
  ) {}

  /** Fails fast, before any stage starts, when Slurm is missing, unreachable, or too small for a stage. */
  async preflight(stages: NormalStage[]): Promise<void> {
    const r = await run('sinfo', ['-h', '-o', '%P|%c|%m|%G|%l|%a'], 20_000);
    if (!r.timedOut && r.exitCode === undefined) throw missing('sinfo');
    if (r.timedOut || r.exitCode !== 0) {
      throw new InputError(`cannot reach the Slurm controller: ${r.timedOut ? 'sinfo did not answer within 20 s' : ((r.stderr || r.stdout).split('\n').find((l) => l.trim()) ?? `sinfo exited ${r.exitCode}`)}`, 'check that slurmctld is up and SLURM_CONF points at the cluster configuration (try: sinfo)');
    }
    const partitions = r.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name, cpus, mem, gres, limit, avail] = line.split('|');
        const gpus = /gpu(?::[^:,(]+)?:(\d+)/.exec(gres ?? '')?.[1];
        return { name: name!.replace(/\*$/, ''), isDefault: name!.endsWith('*'), cpus: Number(cpus), memoryMB: Number(mem), gpus: gpus ? Number(gpus) : 0, limit: limit!, up: avail === 'up' };
      });
    const chosen = this.config.partition ? partitions.filter((p) => p.name === this.config.partition) : partitions.filter((p) => p.isDefault);
    if (this.config.partition && chosen.length === 0) {
      throw new InputError(`Slurm partition '${this.config.partition}' does not exist (partitions: ${[...new Set(partitions.map((p) => p.name))].join(', ')})`, 'set executor.slurm.partition in params (or --partition) to one of them');
    }
    const pool = chosen.length ? chosen : partitions;
    for (const s of stages) {
      const r = s.resources;
      const fits = pool.some((p) => Math.ceil(r.cpus) <= p.cpus && (r.memoryMB === 0 || r.memoryMB <= p.memoryMB) && r.gpus <= p.gpus && (r.timeMinutes === undefined || fitsTime(r.timeMinutes, p.limit)));
      if (!fits) {
        const best = pool.map((p) => `${p.name}: ${p.cpus} cpus, ${p.memoryMB} MB, ${p.gpus} gpus, limit ${p.limit}`).join('; ');
        throw new InputError(
          `stage ${s.id} asks for ${Math.ceil(r.cpus)} cpus, ${r.memoryMB} MB, ${r.gpus} gpus${r.timeMinutes ? `, ${r.timeMinutes} min` : ''}, which no node of ${this.config.partition ? `partition ${this.config.partition}` : 'the cluster'} can give (${best})`,
          `lower resources of ${s.id} in pipeline.ts, or choose a partition that has them`,
        );
      }
    }
  }

  /** The sbatch arguments a stage's resources and the executor config map to. */
  sbatchArgs(stage: NormalStage, logFile: string): string[] {
    const r = stage.resources;
    const args = ['--parsable', `--job-name=repro:${stage.id}`, `--output=${logFile}`, '--open-mode=append', `--cpus-per-task=${Math.max(1, Math.ceil(r.cpus))}`];
    if (r.memoryMB > 0) args.push(`--mem=${r.memoryMB}M`);
    if (r.gpus > 0) args.push(`--gres=gpu:${r.gpus}`);
    if (r.timeMinutes !== undefined) args.push(`--time=${r.timeMinutes}`);
    if (this.config.partition) args.push(`--partition=${this.config.partition}`);
    if (this.config.account) args.push(`--account=${this.config.account}`);
    if (this.config.qos) args.push(`--qos=${this.config.qos}`);
    args.push(...(this.config.extraArgs ?? []));
    return args;
  }

  start(stage: NormalStage, job: StageJob, jobFile: string, logFile: string, onMessage: (m: StageMessage) => void): JobHandle {
    const dir = dirname(jobFile);
    const script = join(dir, 'job.sbatch');
    const messages = join(dir, 'messages.jsonl');
    writeFileSync(messages, '');
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    writeFileSync(
      script,
      ['#!/bin/sh', `# repro stage ${stage.id}`, `cd ${quote(job.root)} || exit 1`, `export REPRO_MESSAGES=${quote(messages)}`, `exec ${runnerCommand(job, jobFile).map(quote).join(' ')}`, ''].join('\n'),
    );
    chmodSync(script, 0o755);
    let cancelled = false;
    let jobId: string | undefined;
    const done = new Promise<JobResult>((resolve) => {
      void (async () => {
        const r = await run('sbatch', [...this.sbatchArgs(stage, logFile), script]).catch((e: NodeJS.ErrnoException) => e);
        if (r instanceof Error || (r as { code?: string }).code === 'ENOENT') return resolve({ ok: false, error: missing('sbatch').message });
        if (r.exitCode !== 0) return resolve({ ok: false, error: `sbatch refused the job: ${(r.stderr || r.stdout).trim().split('\n').pop()}` });
        jobId = r.stdout.trim().split(';')[0]!;
        recordJob(this.reproDir, stage.id, { executor: 'slurm', id: jobId });
        if (cancelled) void run('scancel', [jobId]);
        this.tracked.set(jobId, { id: jobId, state: 'PENDING', reason: '', settle: resolve, messages, offset: 0, onMessage, report: { facts: {} }, stageId: stage.id });
        this.ensurePolling();
      })();
    }).then((r) => {
      forgetJob(this.reproDir, stage.id);
      return { ...r, jobId, error: r.error && jobId ? `slurm job ${jobId} ${r.error}` : r.error };
    });
    return {
      done,
      cancel: () => {
        cancelled = true;
        if (jobId) void run('scancel', [jobId]);
      },
    };
  }

  private ensurePolling(): void {
    if (this.timer) return;
    const every = Math.max(0.2, this.config.pollSeconds ?? 5) * 1000;
    this.timer = setInterval(() => void this.poll(), every);
    void this.poll();
  }

  private readMessages(t: Tracked): void {
    if (!existsSync(t.messages)) return;
    const text = readFileSync(t.messages, 'utf8');
    const fresh = text.slice(t.offset);
    const end = fresh.lastIndexOf('\n');
    if (end < 0) return;
    t.offset += end + 1;
    for (const line of fresh.slice(0, end).split('\n')) {
      if (!line) continue;
      const m = JSON.parse(line) as StageMessage;
      noteMessage(t.report, m);
      t.onMessage(m);
    }
  }

  private async poll(): Promise<void> {
    if (this.polling || this.tracked.size === 0) return;
    this.polling = true;
    try {
      const ids = [...this.tracked.keys()];
      const q = await run('squeue', ['-h', '-j', ids.join(','), '-o', '%i|%T|%r']);
      const live = new Map<string, { state: string; reason: string }>();
      for (const line of q.stdout.split('\n')) {
        const [id, state, reason] = line.trim().split('|');
        if (id && state) live.set(id, { state, reason: reason ?? '' });
      }
      for (const t of [...this.tracked.values()]) {
        this.readMessages(t);
        const l = live.get(t.id);
        if (l && !FINAL.has(l.state)) {
          t.state = l.state;
          t.reason = l.reason;
          if (l.state === 'PENDING' && HOPELESS.has(l.reason)) {
            await run('scancel', [t.id]);
            this.finish(t, { ok: false, error: `can never start: pending with reason ${l.reason} (resources beyond what the partition allows)` });
          }
          continue;
        }
        const final = await finalState(t.id);
        // squeue can miss a job in the moment after sbatch, or while it completes.
        if (!FINAL.has(final.state) && final.state !== 'UNKNOWN') continue;
        this.readMessages(t);
        const ok = final.state === FINAL_OK && final.exit === '0:0';
        this.finish(t, ok ? { ok: true } : { ok: false, error: `${final.state}${final.exit ? ` (exit ${final.exit})` : ''}${t.report.failure ? `: ${t.report.failure}` : ''}` });
      }
    } finally {
      this.polling = false;
    }
  }

  private finish(t: Tracked, r: JobResult): void {
    this.tracked.delete(t.id);
    if (this.tracked.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    t.settle({ ...r, peakRssMB: t.report.peakRssMB, facts: t.report.facts });
  }
}

/** A finished job's state: scontrol while the controller remembers it, else sacct. */
async function finalState(id: string): Promise<{ state: string; exit: string }> {
  const s = await run('scontrol', ['show', 'job', '-o', id]);
  if (s.exitCode === 0) {
    const state = /JobState=(\S+)/.exec(s.stdout)?.[1];
    const exit = /ExitCode=(\S+)/.exec(s.stdout)?.[1] ?? '';
    if (state) return { state, exit };
  }
  const a = await run('sacct', ['-j', id, '-n', '-X', '-P', '-o', 'State,ExitCode']);
  const [state, exit] = a.stdout.trim().split('\n')[0]?.split('|') ?? [];
  if (a.exitCode === 0 && state) return { state: state.split(' ')[0]!, exit: exit ?? '' };
  return { state: 'UNKNOWN', exit: '' };
}

/** Slurm time limits: "infinite", "MM", "HH:MM:SS", "D-HH:MM:SS". */
function fitsTime(minutes: number, limit: string): boolean {
  if (limit === 'infinite' || limit === 'UNLIMITED') return true;
  const m = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)$/.exec(limit);
  if (!m) return true;
  const total = Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3]) + Number(m[4]) / 60;
  return minutes <= total;
}
