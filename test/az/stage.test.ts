import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StageContext } from '../../src/engine/context.ts';
import { getKey } from '../../src/engine/params.ts';
import { configFrom, run } from '../../stages/train.ts';

const params = {
  train: { steps: 2, checkpoints: [1], bufferSize: 64, reuse: 2, batchSize: 16, lr: 0.001, weightDecay: 0.0001 },
  mcts: { simulations: 8, c: 2, dirichletAlpha: 1, dirichletEpsilon: 0.25, temperaturePlies: { connect4: 15, pentago: 5 } },
  selfplay: { concurrentGames: 4, cacheSize: 1000, workers: 1 },
  az: { backend: 'auto' },
};

const root = mkdtempSync(join(tmpdir(), 'az-stage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fakeContext(args: Record<string, unknown>, seed = 7, dir = ''): StageContext & { recorded: Record<string, unknown> } {
  const recorded: Record<string, unknown> = {};
  const out = join(root, `out${dir}`);
  return {
    id: 'train@test',
    root,
    params,
    param: <T,>(key: string) => getKey(params, key) as T,
    deps: [],
    outs: [out],
    out: () => out,
    dep: () => '',
    seed,
    args,
    workDir: join(root, `work${dir}`),
    git: { commit: null, dirty: false },
    log: () => {},
    progress: () => {},
    record: (facts) => Object.assign(recorded, facts),
    recorded,
  };
}

describe('stages/train.ts', () => {
  it('maps params and args to a training config, with distinct seeds per copy', () => {
    const a = configFrom(fakeContext({ game: 'pentago', width: 16, copy: 0 }));
    const b = configFrom(fakeContext({ game: 'pentago', width: 16, copy: 1 }));
    expect(a.selfPlay.temperaturePlies).toBe(5);
    expect(a.learningRate).toBe(0.001);
    expect(a.seed).not.toBe(b.seed);
    expect(() => configFrom(fakeContext({ game: 'chess', width: 16 }))).toThrow(/args.game/);
  });

  it('trains a tiny agent into its output directory and records the backend and each step\'s times', async () => {
    const ctx = fakeContext({ game: 'connect4', width: 8, copy: 0, board: { width: 5, height: 4 } });
    await run(ctx);
    for (const f of ['training-log.json', 'compute.json', 'checkpoints/step-000001/model.json', 'checkpoints/step-000002/weights.bin']) {
      expect(existsSync(join(root, 'out', f))).toBe(true);
    }
    expect(['node-gpu', 'node', 'wasm', 'cpu']).toContain(ctx.recorded['tfBackend']);
    expect(ctx.recorded['resumedFromStep']).toBe(0);
    // Wall times go to the run record, as columns with one entry per step run.
    const times = ctx.recorded['stepTimes'] as Record<'seconds' | 'selfPlaySeconds' | 'trainingSeconds' | 'savingSeconds', number[]> & { firstStep: number };
    expect(times.firstStep).toBe(1);
    for (const column of [times.seconds, times.selfPlaySeconds, times.trainingSeconds, times.savingSeconds]) {
      expect(column).toHaveLength(2);
      for (const t of column) expect(t).toBeGreaterThanOrEqual(0);
    }
    for (let i = 0; i < 2; i++) {
      // The parts add up to the step (each rounded to the millisecond on its own).
      expect(Math.abs(times.selfPlaySeconds[i]! + times.trainingSeconds[i]! + times.savingSeconds[i]! - times.seconds[i]!)).toBeLessThanOrEqual(0.002);
      expect(times.selfPlaySeconds[i]).toBeGreaterThan(0);
    }
    expect(ctx.recorded['selfPlaySeconds']).toBeCloseTo(times.selfPlaySeconds[0]! + times.selfPlaySeconds[1]!, 3);
    // One self-play worker: no lockstep to account for.
    expect(ctx.recorded['selfPlayLockstep']).toBeNull();
  });

  it('records what the lockstep cost two self-play workers, as shares of their time', async () => {
    params.selfplay.workers = 2;
    try {
      const ctx = fakeContext({ game: 'connect4', width: 8, copy: 0, board: { width: 5, height: 4 } }, 7, '-two-workers');
      await run(ctx);
      const facts = ctx.recorded['selfPlayLockstep'] as Record<string, number>;
      expect(facts).toMatchObject({ workers: 2, collects: 2 });
      const shares = [facts['droppedSearchShare']!, facts['waitingShare']!, facts['handOffShare']!];
      for (const share of shares) expect(share).toBeGreaterThanOrEqual(0);
      expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1);
    } finally {
      params.selfplay.workers = 1;
    }
  });
});
