// The run lock within one process: released locks leave nothing behind, a held one refuses a
// second taker by name.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireRunLock } from '../../src/engine/runlock.ts';
import { InputError } from '../../src/engine/errors.ts';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('run lock', () => {
  it('keeps no exit listener and no lock file once released, however many runs a process makes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'repro-runlock-'));
    const file = join(dir, '.repro', 'run.lock');
    const listeners = process.listenerCount('exit');
    for (let run = 0; run < 20; run++) {
      const lock = await acquireRunLock(file, { wait: false });
      expect(existsSync(file)).toBe(true);
      lock.release();
      expect(existsSync(file)).toBe(false);
    }
    expect(process.listenerCount('exit')).toBe(listeners);
  });

  it('refuses a second run while one holds the lock, naming the holder', async () => {
    dir = mkdtempSync(join(tmpdir(), 'repro-runlock-'));
    const file = join(dir, 'run.lock');
    const lock = await acquireRunLock(file, { wait: false });
    const second = acquireRunLock(file, { wait: false });
    await expect(second).rejects.toBeInstanceOf(InputError);
    await expect(second).rejects.toThrow(`pid ${process.pid}`);
    lock.release();
    (await acquireRunLock(file, { wait: false })).release();
  });
});
