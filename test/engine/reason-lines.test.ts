// Status and dry-run lines: the upstream stages of one wide matrix read as one line.
import { describe, expect, it } from 'vitest';
import { reasonLines } from '../../src/engine/cli/reason-lines.ts';
import type { StaleReason } from '../../src/engine/status.ts';

const upstream = (id: string): StaleReason => ({ kind: 'upstream', path: id, message: `upstream ${id} will rerun` });

describe('reason lines', () => {
  it('count the upstream stages of a matrix past three, naming the first and last', () => {
    const shards = Array.from({ length: 2016 }, (_, i) => upstream(`tournament@s${i}`));
    const reasons = [upstream('benchmark@pentago'), ...shards, { kind: 'new', message: 'never run (no lock record)' } as StaleReason];
    expect(reasonLines(reasons)).toEqual([
      'upstream benchmark@pentago will rerun',
      'upstream 2016 tournament stages will rerun (tournament@s0 … tournament@s2015)',
      'never run (no lock record)',
    ]);
  });

  it('list three or fewer one by one, and keep every other reason as it is', () => {
    const reasons: StaleReason[] = [
      upstream('train@a'),
      upstream('train@b'),
      upstream('train@c'),
      { kind: 'param', key: 'train.lr', old: 0.001, new: 0.0005, message: 'params.json: train.lr 0.001 → 0.0005' },
    ];
    expect(reasonLines(reasons)).toEqual(reasons.map((r) => r.message));
  });
});
