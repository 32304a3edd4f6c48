// `repro show`: where a stage's outputs came from. The lock record says what they are and
// what they were computed from; the run records under .repro/runs/ say when, where, from
// which commit and how long it took: the record of the run that computed them (the same
// key, outcome 'ran'), which a restore or a rerun elsewhere does not replace.
import { relative } from 'node:path';
import type { ShowReport, StageShow } from '../../../schemas/types/show.ts';
import type { RunRecord } from '../../../schemas/types/run-record.ts';
import { reasonLines } from './reason-lines.ts';
import { lockPath } from '../lock.ts';
import type { Project } from '../project.ts';
import { formatBytes, formatMs } from '../progress.ts';
import { readRunRecords } from '../runrecord.ts';
import type { Evaluation } from '../status.ts';

export type { ShowReport, StageShow };

export function showStage(project: Project, e: Evaluation): StageShow {
  const records = readRunRecords(project.paths.runs, e.stage.id);
  const key = e.lock?.key;
  const computed = records.findLast((r) => r.outcome === 'ran' && r.key === key) ?? null;
  return {
    id: e.stage.id,
    state: e.state,
    reasons: e.reasons,
    lockFile: e.lock ? relative(project.root, lockPath(project.paths.locks, e.stage.id)) : null,
    lock: e.lock,
    computed,
    lastRun: records.at(-1) ?? null,
    runRecords: records.length,
  };
}

const when = (r: RunRecord) => `${r.start.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`;

/** The facts a stage recorded that print on one line: strings, booleans and numbers (4 significant digits). */
function scalarFacts(facts: Record<string, unknown> | undefined): string {
  return Object.entries(facts ?? {})
    .flatMap(([k, v]) => {
      if (typeof v === 'number') return [`${k}=${Number.isInteger(v) ? v : Number(v.toPrecision(4))}`];
      if (typeof v === 'string' || typeof v === 'boolean') return [`${k}=${v}`];
      return [];
    })
    .join(', ');
}

function runLines(r: RunRecord): string[] {
  const where = [`on ${r.host} (${r.platform}, Node ${r.node})`, `took ${formatMs(r.durationMs)}`, `executor ${r.executor ?? 'local'}${r.jobId ? ` job ${r.jobId}` : ''}`];
  if (r.gpuDevices?.length) where.push(`GPUs ${r.gpuDevices.join(',')}`);
  if (r.peakRssMB !== undefined) where.push(`peak ${r.peakRssMB.toFixed(0)} MiB`);
  const lines = [`${when(r)} ${where.join(', ')}`];
  if (r.git) lines.push(r.git.commit ? `git ${r.git.commit.slice(0, 12)}${r.git.dirty ? ', with uncommitted changes to what the pipeline reads' : ', clean checkout'}` : 'not in a git checkout');
  const facts = scalarFacts(r.facts as Record<string, unknown> | undefined);
  if (facts) lines.push(`facts: ${facts}`);
  return lines;
}

/** The stage as lines for people. */
export function showLines(s: StageShow): string[] {
  const out = [`${s.id}  ${s.state}`];
  const field = (name: string, lines: string[]) => lines.forEach((l, i) => out.push(`  ${(i === 0 ? name : '').padEnd(13)}${l}`));
  if (s.reasons.length) field('why', reasonLines(s.reasons));
  if (!s.lock) {
    field('lock record', ['none: the stage has not run yet']);
    return out;
  }
  field('lock record', [`${s.lockFile} (key ${s.lock.key.slice(0, 12)})`]);
  field(
    'outputs',
    Object.entries(s.lock.outs).map(([path, o]) => `${path}${o.kind === 'dir' ? `/  ${o.files ?? 0} files,` : ' '} ${formatBytes(o.size)}, sha256 ${o.hash.slice(0, 12)}`),
  );
  field('computed', s.computed ? runLines(s.computed) : ['no run record here computed these outputs: they came from another machine, or gc pruned the record']);
  const last = s.lastRun;
  // A stage's log file holds its last execution only: it is named where that run is.
  if (last && last !== s.computed) field('last run', [`${last.outcome} ${when(last)} on ${last.host}${last.log ? `; log ${last.log}` : ''}${last.error ? `: ${last.error}` : ''}`]);
  else if (last?.log) field('log', [last.log]);
  field('run records', [`${s.runRecords} under .repro/runs/${s.id}/`]);
  return out;
}
