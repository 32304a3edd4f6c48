// Progress of a run: in a terminal, a live bar with ETA per running stage plus an overall
// count (cli-progress); without a TTY (CI, logs), plain lines at start, end and every
// few seconds while a stage reports progress.
import { createRequire } from 'node:module';
import type cliProgressModule from 'cli-progress';
import type { StageMessage } from './exec/job.ts';
import type { StageOutcome } from './scheduler.ts';

export interface Reporter {
  start(id: string, how: 'run' | 'restore'): void;
  message(id: string, m: StageMessage): void;
  warn(message: string): void;
  end(id: string, r: StageOutcome): void;
  close(): void;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A size for people: B, KB, MB or GB (powers of 1024). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 2 ** 20) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 2 ** 30) return `${(n / 2 ** 20).toFixed(1)} MB`;
  return `${(n / 2 ** 30).toFixed(2)} GB`;
}

function endLine(id: string, r: StageOutcome): string {
  switch (r.outcome) {
    case 'ran':
      return `✓ ${id} ran in ${formatMs(r.ms)}`;
    case 'restored':
      return `✓ ${id} restored from the run cache`;
    case 'fresh':
      return `· ${id} fresh`;
    case 'failed':
      return `✗ ${id} failed: ${r.error}${'log' in r && r.log ? ` (log: ${r.log})` : ''}`;
    case 'skipped':
      return `- ${id} skipped: ${r.error}`;
  }
}

export function createReporter(total: number, opts: { tty: boolean; quiet?: boolean; write?: (s: string) => void; intervalMs?: number }): Reporter {
  const write = opts.write ?? ((s: string) => process.stderr.write(s + '\n'));
  let done = 0;
  if (opts.tty) return ttyReporter(total, () => ++done);
  const last = new Map<string, number>();
  const started = new Map<string, number>();
  const interval = opts.intervalMs ?? Number(process.env.REPRO_PROGRESS_INTERVAL_MS ?? 10_000);
  return {
    start(id, how) {
      started.set(id, Date.now());
      if (!opts.quiet) write(`→ ${id} ${how === 'run' ? 'running' : 'restoring'}`);
    },
    message(id, m) {
      if (m.type !== 'progress') return;
      const now = Date.now();
      if (now - (last.get(id) ?? started.get(id) ?? 0) < interval) return;
      last.set(id, now);
      const frac = m.total > 0 ? m.done / m.total : 0;
      const elapsed = now - (started.get(id) ?? now);
      const eta = frac > 0 ? formatMs(Math.round((elapsed * (1 - frac)) / frac)) : '?';
      write(`  ${id}: ${m.done}/${m.total}${m.label ? ` ${m.label}` : ''} (${(frac * 100).toFixed(0)}%, eta ${eta})`);
    },
    warn: (msg) => write(`! ${msg}`),
    end(id, r) {
      done++;
      if (!opts.quiet || r.outcome === 'failed') if (r.outcome !== 'fresh') write(`${endLine(id, r)}  [${done}/${total}]`);
    },
    close() {},
  };
}

function ttyReporter(total: number, tick: () => number): Reporter {
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof cliProgressModule;
  const multi = new cliProgress.MultiBar(
    { format: ' {bar} {percentage}% | ETA {eta_formatted} | {stage} {label}', hideCursor: true, clearOnComplete: true, stopOnComplete: false, etaBuffer: 20, autopadding: true },
    cliProgress.Presets.shades_grey,
  );
  const overall = multi.create(total, 0, { stage: 'stages done', label: '' }, { format: ' {bar} {value}/{total} stages done' });
  const bars = new Map<string, cliProgressModule.SingleBar>();
  return {
    start(id, how) {
      bars.set(id, multi.create(1, 0, { stage: id, label: how === 'restore' ? 'restoring' : '' }));
    },
    message(id, m) {
      if (m.type !== 'progress') return;
      const b = bars.get(id);
      if (!b) return;
      b.setTotal(Math.max(1, m.total));
      b.update(m.done, { stage: id, label: m.label ?? '' });
    },
    warn: (msg) => multi.log(`! ${msg}\n`),
    end(id, r) {
      overall.update(tick());
      const b = bars.get(id);
      if (b) {
        multi.remove(b);
        bars.delete(id);
      }
      if (r.outcome !== 'fresh') multi.log(endLine(id, r) + '\n');
    },
    close: () => multi.stop(),
  };
}
