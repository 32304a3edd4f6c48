// The run lock: one `repro run` at a time per workspace. The lock file names its holder's
// pid and host; a lock whose holder is dead (same host, no such pid) is stale and taken over.
import { openSync, writeSync, closeSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { InputError } from './errors.ts';

export interface Holder {
  pid: number;
  host: string;
  started: string;
  argv: string[];
}

/** Whether process `pid` of this host exists (EPERM: it does, as another user's). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a holder's process is known to be gone: one of this host's with no such pid (another host's cannot be checked from here). */
export function gone(holder: Pick<Holder, 'host' | 'pid'>): boolean {
  return holder.host === hostname() && !alive(holder.pid);
}

/** This process as a lock's or a lease's holder. */
export function thisProcess(): Holder {
  return { pid: process.pid, host: hostname(), started: new Date().toISOString(), argv: process.argv.slice(2) };
}

function readHolder(file: string): Holder | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Holder;
  } catch {
    return null;
  }
}

/** Who holds the lock at `file`, if anyone alive does (a holder on another host counts as alive). */
export function liveHolder(file: string): Holder | null {
  const h = readHolder(file);
  if (h === null) return null;
  return gone(h) ? null : h;
}

/** Calls `free` once: through the returned function, or at the process's exit if that comes first. */
export function releasedOnExit(free: () => void): () => void {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    // A process that runs many times (tests, a program driving main()) must not keep one
    // exit listener per lock it ever held.
    process.off('exit', release);
    free();
  };
  process.once('exit', release);
  return release;
}

export interface RunLock {
  release(): void;
}

/**
 * Takes the lock, waiting for a live holder when `wait` is set (reporting once through
 * `onWait`), or failing with a message that names the holder.
 */
export async function acquireRunLock(
  file: string,
  opts: { wait: boolean; onWait?: (h: Holder) => void; onStale?: (h: Holder) => void; /** Who takes this lock, for the message (default 'repro run'). */ holder?: string },
): Promise<RunLock> {
  mkdirSync(dirname(file), { recursive: true });
  let told = false;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      const me = thisProcess();
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      const release = releasedOnExit(() => {
        const h = readHolder(file);
        if (h && h.pid === me.pid && h.host === me.host) rmSync(file, { force: true });
      });
      return { release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readHolder(file);
    if (!holder) {
      // Written by a holder that died between create and write, or being written right now.
      await new Promise((r) => setTimeout(r, 200));
      const again = readHolder(file);
      if (!again) rmSync(file, { force: true });
      continue;
    }
    if (gone(holder)) {
      opts.onStale?.(holder);
      rmSync(file, { force: true });
      continue;
    }
    if (!opts.wait) {
      const who = opts.holder ?? 'repro run';
      throw new InputError(
        `another ${who} holds ${file} (pid ${holder.pid} on ${holder.host}, since ${holder.started})`,
        `wait for it to finish${who === 'repro run' ? ' (repro run --wait waits)' : ''}, or, if that process is gone from another host, delete ${file}`,
      );
    }
    if (!told) {
      opts.onWait?.(holder);
      told = true;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
