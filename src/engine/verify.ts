// `repro verify`: re-executes a profile's stages (or some targets and what they need) in a fresh workspace (the checkout's tracked
// files, no cache, no outputs) and compares every output with the committed lock records:
// exact hashes where an output declares `exact` (the default), the declared numeric
// tolerance on the locked values otherwise.
import { cpSync, mkdtempSync, rmSync, symlinkSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { LockRecord } from '../../schemas/types/lockfile.ts';
import { openCheckout } from './checkout.ts';
import type { Verify } from './declare.ts';
import { InputError } from './errors.ts';
import type { Executor } from './exec/executor.ts';
import { readLock } from './lock.ts';
import type { Project } from './project.ts';
import { runStages, selectStages, type Capacity } from './scheduler.ts';
import type { StageEvents } from './update-stage.ts';
import type { StageOutcome } from './scheduler.ts';
import { openWorkspace } from './workspace.ts';

export interface VerifyCheck {
  stage: string;
  output: string;
  kind: 'exact' | 'tolerance';
  ok: boolean;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  checks: VerifyCheck[];
}

/** The files a fresh clone would have: git's tracked files, or everything but .repro where there is no git. */
async function trackedFiles(root: string): Promise<string[]> {
  const checkout = await openCheckout(root);
  if (checkout === null) throw new InputError(`${root} is not a git checkout`, 'repro verify compares with committed lock records: run it inside a git repository');
  // --full-name: paths from the top level, as projectPath() takes them (by default ls-files
  // names them from the current directory, the project root).
  const out = await checkout.git.raw(['ls-files', '-z', '--cached', '--full-name', '--', '.']);
  return out
    .split('\0')
    .filter(Boolean)
    .map((p) => checkout.projectPath(p))
    .filter((p) => !p.startsWith('..'));
}

export async function prepareFreshWorkspace(project: Project): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'repro-verify-'));
  for (const f of await trackedFiles(project.root)) {
    const src = join(project.root, f);
    if (!existsSync(src)) continue; // deleted in the working tree
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(src, join(dir, f));
  }
  // Installed packages are the one thing a fresh clone gets from `npm ci` rather than git.
  if (existsSync(join(project.root, 'node_modules'))) symlinkSync(join(project.root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // Recomputed, not trusted: the workspace starts with no lock records of this profile.
  rmSync(join(dir, relative(project.root, project.paths.locks)), { recursive: true, force: true });
  return dir;
}

export function compareOutput(stage: string, output: string, verify: Verify, committed: LockRecord | null, fresh: LockRecord | null): VerifyCheck {
  const kind = verify === 'exact' || verify === 'none' ? 'exact' : 'tolerance';
  const base = { stage, output, kind } as const;
  if (verify === 'none') return { ...base, ok: true, detail: 'not compared (verify: none)' };
  const want = committed?.outs[output];
  const got = fresh?.outs[output];
  if (!want) return { ...base, ok: false, detail: 'no committed lock record for this output: run the profile and commit lockfiles/' };
  if (!got) return { ...base, ok: false, detail: 'not reproduced: the stage did not complete' };
  if (verify === 'exact') {
    return want.hash === got.hash ? { ...base, ok: true, detail: `sha256 ${got.hash.slice(0, 12)}…` } : { ...base, ok: false, detail: `sha256 ${got.hash.slice(0, 12)}… ≠ locked ${want.hash.slice(0, 12)}…` };
  }
  const a = (want.values ?? {}) as Record<string, number>;
  const b = (got.values ?? {}) as Record<string, number>;
  const abs = verify.abs ?? 0;
  const rel = verify.rel ?? 0;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) {
    if (!(k in a)) return { ...base, ok: false, detail: `${k}: ${b[k]} is new (not in the lock record)` };
    if (!(k in b)) return { ...base, ok: false, detail: `${k}: locked ${a[k]} is missing` };
    const diff = Math.abs(a[k]! - b[k]!);
    if (!(diff <= abs + rel * Math.abs(a[k]!))) {
      return { ...base, ok: false, detail: `${k}: ${b[k]} vs locked ${a[k]} (|Δ| ${diff.toPrecision(3)} > ${abs ? `abs ${abs}` : ''}${abs && rel ? ' + ' : ''}${rel ? `rel ${rel}` : ''}${!abs && !rel ? '0' : ''})` };
    }
  }
  return { ...base, ok: true, detail: `${keys.length} value(s) within tolerance` };
}

export interface VerifyOptions {
  jobs: number;
  capacity: Capacity;
  executor: Executor;
  events: StageEvents & { end(id: string, r: StageOutcome): void };
  keepWorkspace?: boolean;
  signal?: AbortSignal;
  /** Verify only these targets and what they need (stage ids, matrix names, globs); all stages without. */
  targets?: string[];
}

export async function verifyProject(project: Project, opts: VerifyOptions): Promise<VerifyReport & { workspace: string }> {
  // Named before the copy, so that a mistyped target costs nothing.
  const stages = selectStages(project, opts.targets ?? []);
  const dir = await prepareFreshWorkspace(project);
  try {
    const ws = await openWorkspace(dir, project.profile);
    const fresh = stages.map((s) => ws.project.byId.get(s.id)!);
    await runStages(ws.project, fresh, ws, { jobs: opts.jobs, force: true, keepGoing: true, executor: opts.executor, capacity: opts.capacity, events: opts.events, signal: opts.signal });
    ws.save();
    const checks: VerifyCheck[] = [];
    for (const s of stages) {
      const committed = readLock(project.paths.locks, s.id);
      const fresh = readLock(ws.project.paths.locks, s.id);
      for (const o of s.outs) checks.push(compareOutput(s.id, o.path, o.verify ?? 'exact', committed, fresh));
    }
    return { ok: checks.every((c) => c.ok), checks, workspace: dir };
  } finally {
    if (!opts.keepWorkspace) rmSync(dir, { recursive: true, force: true });
  }
}
