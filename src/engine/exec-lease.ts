// Standalone `repro exec`s in progress, and gc. `repro run` holds the run lock, but an exec
// runs beside runs and beside other execs (by hand, or on another host sharing the
// filesystem), so it holds a lease instead: a file under .repro/execs/ for as long as it runs.
// gc must not clear a cache a stage is storing its outputs in: it takes the gc lock and then
// refuses while a lease is live, and an exec takes its lease and then waits while the gc lock
// is held. Each writes its own file before it looks for the other's, so of an exec and a gc
// starting together at least one sees the other. A lease whose process is gone (this host, no
// such pid) is stale and removed.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJson } from './json.ts';
import { gone, liveHolder, releasedOnExit, thisProcess, type Holder } from './runlock.ts';

export interface ExecLease extends Holder {
  stage: string;
}

const leaseDir = (reproDir: string) => join(reproDir, 'execs');

/** The lock gc holds while it removes anything (acquireRunLock's format). */
export const gcLockFile = (reproDir: string) => join(reproDir, 'gc.lock');

/** Tells leases of one process apart (a program that drives main() may run several execs). */
let leasesTaken = 0;

/**
 * Takes a lease for the stage this process executes, once no gc is running (reported once
 * through `onWait`); release() (or the process's exit) gives it back.
 */
export async function holdExecLease(reproDir: string, stage: string, onWait?: (gc: Holder) => void): Promise<{ release(): void }> {
  mkdirSync(leaseDir(reproDir), { recursive: true });
  const lease: ExecLease = { ...thisProcess(), stage };
  const file = join(leaseDir(reproDir), `${lease.host}.${lease.pid}.${++leasesTaken}.json`);
  let told = false;
  for (;;) {
    writeFileSync(file, JSON.stringify(lease));
    const gc = liveHolder(gcLockFile(reproDir));
    if (gc === null) break;
    rmSync(file, { force: true });
    if (!told) onWait?.(gc);
    told = true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return { release: releasedOnExit(() => rmSync(file, { force: true })) };
}

/**
 * The leases of execs still running (every lease of another host: its pid cannot be checked
 * from here); stale ones of this host are removed. Whose a lease is comes from its file name,
 * `<host>.<pid>.<n>.json`, so that one being written this moment still counts.
 */
export function liveExecLeases(reproDir: string): ExecLease[] {
  let files: string[];
  try {
    files = readdirSync(leaseDir(reproDir));
  } catch {
    return [];
  }
  const live: ExecLease[] = [];
  for (const f of files) {
    const named = /^(.+)\.(\d+)\.\d+\.json$/.exec(f);
    if (!named) continue;
    const [host, pid] = [named[1]!, Number(named[2])];
    const file = join(leaseDir(reproDir), f);
    if (gone({ host, pid })) {
      rmSync(file, { force: true });
      continue;
    }
    let lease: Partial<ExecLease> = {};
    try {
      lease = readJson(file) as ExecLease;
    } catch {
      // Half-written: its process started a moment ago.
    }
    live.push({ stage: lease.stage ?? '?', started: lease.started ?? '?', argv: lease.argv ?? [], host, pid });
  }
  return live;
}
