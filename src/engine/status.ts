// Freshness: is a stage's lock record still true of the workspace, and if not, every
// reason why, with values.
import type { StageStatus, StaleReason } from '../../schemas/types/status.ts';
import type { LockRecord } from '../../schemas/types/lockfile.ts';
import { canonicalJson } from './json.ts';
import { computeKey, type Hashing, type KeyResult } from './keys.ts';
import { readLock } from './lock.ts';
import { within, type NormalStage, type Project } from './project.ts';

export type { StageStatus, StaleReason };

export interface Evaluation {
  stage: NormalStage;
  state: StageStatus['state'];
  reasons: StaleReason[];
  key: KeyResult;
  lock: LockRecord | null;
}

const show = (v: unknown): string => (v === undefined ? '(none)' : typeof v === 'string' ? v : canonicalJson(v));

/**
 * Evaluates one stage. `pending` holds the ids of stages that will rerun: their outputs are
 * about to change, so comparing the deps they write would say nothing yet.
 */
export function evaluate(project: Project, stage: NormalStage, h: Hashing, pending: Set<string>): Evaluation {
  const lock = readLock(project.paths.locks, stage.id);
  const key = computeKey(project, stage, h);
  const reasons: StaleReason[] = [];
  const pendingUp = stage.upstream.filter((u) => pending.has(u));
  for (const u of pendingUp) reasons.push({ kind: 'upstream', path: u, message: `upstream ${u} will rerun` });

  if (!lock) {
    reasons.push({ kind: 'new', message: 'never run (no lock record)' });
    return { stage, state: 'missing', reasons, key, lock };
  }
  if (lock.key !== key.key) reasons.push(...diffMaterial(project, stage, lock, key, pendingUp));
  reasons.push(...outputReasons(stage, lock, h));
  // Key differences hidden behind a pending upstream are not reasons of their own.
  const state = reasons.length ? 'stale' : 'fresh';
  return { stage, state, reasons, key, lock };
}

function diffMaterial(project: Project, stage: NormalStage, lock: LockRecord, now: KeyResult, pendingUp: string[]): StaleReason[] {
  const old = lock.material;
  const cur = now.material;
  const out: StaleReason[] = [];
  const paramsFile = project.profile === 'default' ? 'params.json' : `params.json + profiles/${project.profile}.json`;

  if (old.engine !== cur.engine) out.push({ kind: 'code', message: `code: repro engine ${old.engine} → ${cur.engine}` });
  if (old.run !== cur.run) out.push({ kind: 'code', old: old.run, new: cur.run, message: `code: run ${show(old.run)} → ${show(cur.run)}` });
  for (const f of union(Object.keys(old.code), Object.keys(cur.code))) {
    const was = old.code[f];
    const is = cur.code[f];
    if (was === is) continue;
    const what = was === undefined ? 'now imported' : is === undefined ? 'no longer imported' : 'changed';
    out.push({ kind: 'code', path: f, message: `code: ${f} ${what}` });
  }
  // Another engine recorded other packages (engine 1 none, engine 2 no dependencies of
  // theirs): the 'repro engine' line above says it all.
  const [oldPackages, curPackages] = [old.packages ?? {}, cur.packages ?? {}];
  for (const name of old.engine !== cur.engine ? [] : union(Object.keys(oldPackages), Object.keys(curPackages))) {
    const [was, is] = [oldPackages[name], curPackages[name]];
    if (was === is) continue;
    const version = (v: string | null | undefined) => (v === undefined ? '(not a dependency)' : v === null ? '(not installed)' : v);
    out.push({ kind: 'code', path: `npm:${name}`, old: was ?? null, new: is ?? null, message: `code: package ${name} ${version(was)} → ${version(is)}` });
  }
  for (const k of union(Object.keys(old.params), Object.keys(cur.params))) {
    const was = (old.params as Record<string, unknown>)[k];
    const is = (cur.params as Record<string, unknown>)[k];
    if (canonicalJson(was) === canonicalJson(is)) continue;
    out.push({ kind: 'param', key: k, old: was ?? null, new: is ?? null, message: `${paramsFile}: ${k} ${show(was)} → ${show(is)}` });
  }
  if (old.seed !== cur.seed) out.push({ kind: 'param', key: 'seed', old: old.seed, new: cur.seed, message: `seed ${show(old.seed)} → ${show(cur.seed)}` });
  for (const k of union(Object.keys(old.args), Object.keys(cur.args))) {
    const was = (old.args as Record<string, unknown>)[k];
    const is = (cur.args as Record<string, unknown>)[k];
    if (canonicalJson(was) !== canonicalJson(is)) out.push({ kind: 'param', key: `args.${k}`, old: was ?? null, new: is ?? null, message: `args.${k} ${show(was)} → ${show(is)}` });
  }
  for (const k of union(Object.keys(old.env), Object.keys(cur.env))) {
    if (old.env[k] !== cur.env[k]) out.push({ kind: 'dep', path: `env:${k}`, old: old.env[k] ?? null, new: cur.env[k] ?? null, message: `env ${k} ${show(old.env[k])} → ${show(cur.env[k])}` });
  }
  const pendingPaths = (p: string) => pendingUp.some((u) => project.byId.get(u)!.outPaths.some((o) => within(p, o) || within(o, p)));
  for (const d of union(Object.keys(old.deps), Object.keys(cur.deps))) {
    if (old.deps[d] === cur.deps[d] || pendingPaths(d)) continue;
    const what = old.deps[d] === undefined ? 'newly declared' : cur.deps[d] === undefined ? 'no longer declared' : cur.deps[d] === 'missing' ? 'missing' : 'changed';
    out.push({ kind: 'dep', path: d, message: `dep ${d} ${what}` });
  }
  for (const o of union(old.outs, cur.outs)) {
    if (old.outs.includes(o) && cur.outs.includes(o)) continue;
    out.push({ kind: 'output', path: o, message: `output ${o} ${cur.outs.includes(o) ? 'newly declared' : 'no longer declared'}` });
  }
  return out;
}

function outputReasons(stage: NormalStage, lock: LockRecord, h: Hashing): StaleReason[] {
  const out: StaleReason[] = [];
  for (const o of stage.outPaths) {
    const rec = lock.outs[o];
    if (!rec) continue; // reported as newly declared
    const ph = h.stats.hashPath(o);
    if (!ph) out.push({ kind: 'output', path: o, message: `output ${o} missing` });
    else if (ph.hash !== rec.hash) out.push({ kind: 'output', path: o, message: `output ${o} modified` });
  }
  return out;
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/** Every stage (or the given ones, in pipeline order), each judged after its upstream. */
export function statusOf(project: Project, h: Hashing, stages = project.stages): Evaluation[] {
  const pending = new Set<string>();
  const result: Evaluation[] = [];
  for (const s of stages) {
    const ev = evaluate(project, s, h, pending);
    if (ev.state !== 'fresh') pending.add(s.id);
    result.push(ev);
  }
  return result;
}

export function toStatusJson(evals: Evaluation[]): { stages: StageStatus[] } {
  return { stages: evals.map((e) => ({ id: e.stage.id, state: e.state, reasons: e.reasons })) };
}
