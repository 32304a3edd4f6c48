// A train stage of the study killed part-way, with `repro` itself (kill -9), resumes from its
// last saved step when run again, and ends with exactly the outputs its committed ci lock
// record names: the engine's staging, the stage's work directory and train()'s resume state
// working together, as a user on a laptop or a preempted cluster job would rely on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '../../src/engine/project.ts';
import { prepareFreshWorkspace } from '../../src/engine/verify.ts';
import { REPO, repro, reproProcess, waitUntil } from '../engine/helpers.ts';

const ID = 'train@connect4-w64-c0';
let dir: string;
beforeAll(async () => {
  dir = await prepareFreshWorkspace(await loadProject(REPO, { profile: 'ci' }));
  cpSync(join(REPO, 'lockfiles', 'ci'), join(dir, 'lockfiles', 'ci'), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The step the stage's saved resume state is at (-1: none yet). */
function savedStep(): number {
  const file = join(dir, '.repro', 'staging', ID, 'work', 'state', 'progress.json');
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { step: number }).step;
  } catch {
    return -1; // not written yet, or being renamed into place
  }
}

const outsOf = (lockfiles: string) => JSON.parse(readFileSync(join(lockfiles, 'ci', `${ID}.json`), 'utf8')).outs;

describe('a train stage killed part-way', () => {
  it('resumes from its last saved step when run again, and ends with the bytes of a run never stopped', async () => {
    const steps = JSON.parse(readFileSync(join(REPO, 'profiles', 'ci.json'), 'utf8')).train.steps as number;
    const proc = reproProcess(dir, ['--profile', 'ci', 'run', ID]);
    let killedAt = -1;
    await waitUntil(
      () => {
        if (proc.exitCode !== null) throw new Error(`the run ended before a resume state past step 0 was seen (exit ${proc.exitCode})`);
        return (killedAt = savedStep()) >= 1;
      },
      'a resume state past step 0',
      { ms: 300_000, everyMs: 10 },
    );
    proc.kill('SIGKILL');
    await proc;
    expect(killedAt).toBeLessThan(steps);
    // Nothing half-written: no output, no lock record of this run.
    expect(existsSync(join(dir, 'artifacts', 'train', 'connect4-w64-c0'))).toBe(false);
    expect(outsOf(join(dir, 'lockfiles'))).toEqual(outsOf(join(REPO, 'lockfiles')));

    const again = await repro(dir, '--profile', 'ci', 'run', ID);
    expect(again.code, again.err).toBe(0);
    const runs = join(dir, '.repro', 'runs', ID);
    const newest = JSON.parse(readFileSync(join(runs, readdirSync(runs).sort().at(-1)!), 'utf8'));
    expect(newest.outcome).toBe('ran');
    expect(newest.facts.resumedFromStep).toBeGreaterThanOrEqual(killedAt);
    expect(newest.facts.resumedFromStep).toBeLessThan(steps);
    // The lock record names the committed outputs' hashes: the same bytes as the run that made them.
    expect(outsOf(join(dir, 'lockfiles'))).toEqual(outsOf(join(REPO, 'lockfiles')));
    const st = JSON.parse((await repro(dir, '--profile', 'ci', 'status', '--json', ID)).out) as { stages: { id: string; state: string }[] };
    expect(st.stages.find((s) => s.id === ID)?.state).toBe('fresh');
  }, 600_000);
});
