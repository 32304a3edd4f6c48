// The replay buffer (replay-buffer.ts): a FIFO ring of positions whose minibatches carry the
// visit fractions as policy targets, and which survives the resume state bit for bit.
import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from '../../src/az/replay-buffer.ts';
import type { GameRecord } from '../../src/az/selfplay.ts';
import { Rng } from '../../src/engine/rng.ts';

const INPUTS = 5;
const ACTIONS = 4;

/** A game of `length` positions whose bytes say which game and ply they came from. */
function game(index: number, length: number, rng: Rng): GameRecord {
  const visitCounts = Uint16Array.from({ length: length * ACTIONS }, () => (rng.int(3) === 0 ? 0 : rng.int(301)));
  visitCounts.fill(0, 0, ACTIONS); // a position without visits: its target is all zeros
  return {
    slot: 0,
    index,
    length,
    observations: Uint8Array.from({ length: length * INPUTS }, (_, i) => (index * 7 + i) % 2),
    legalMasks: Uint8Array.from({ length: length * ACTIONS }, (_, i) => (index + i) % 3 === 0 ? 0 : 1),
    visitCounts,
    valueTargets: Int8Array.from({ length }, (_, ply) => ((index + ply) % 3) - 1),
  };
}

/** What fillBatch must give for position `ply` of `g`: floats, and counts over their total. */
function expectedRow(g: GameRecord, ply: number) {
  const counts = [...g.visitCounts.subarray(ply * ACTIONS, (ply + 1) * ACTIONS)];
  const total = counts.reduce((a, b) => a + b, 0);
  return {
    observations: [...g.observations.subarray(ply * INPUTS, (ply + 1) * INPUTS)],
    legalMasks: [...g.legalMasks.subarray(ply * ACTIONS, (ply + 1) * ACTIONS)],
    policyTargets: counts.map((c) => (total > 0 ? Math.fround(c / total) : 0)),
    valueTarget: g.valueTargets[ply]!,
  };
}

function rowOf(batch: ReturnType<ReplayBuffer['allocateBatch']>, i: number) {
  return {
    observations: [...batch.observations.subarray(i * INPUTS, (i + 1) * INPUTS)],
    legalMasks: [...batch.legalMasks.subarray(i * ACTIONS, (i + 1) * ACTIONS)],
    policyTargets: [...batch.policyTargets.subarray(i * ACTIONS, (i + 1) * ACTIONS)],
    valueTarget: batch.valueTargets[i]!,
  };
}

describe('replay buffer', () => {
  it('keeps the newest positions and fills minibatches with their inputs, visit fractions and outcomes', () => {
    const rng = new Rng(3, 'replay-test');
    const buffer = new ReplayBuffer(10, INPUTS, ACTIONS);
    const games = [game(0, 4, rng), game(1, 3, rng), game(2, 6, rng)];
    for (const g of games) buffer.addGame(g);
    expect(buffer.size).toBe(10);
    expect(buffer.totalAdded).toBe(13);
    // The ring's rows: game 2's last three overwrote game 0's first three.
    const positions = [
      ...[0, 1, 2].map((ply) => expectedRow(games[2]!, 3 + ply)),
      expectedRow(games[0]!, 3),
      ...[0, 1, 2].map((ply) => expectedRow(games[1]!, ply)),
      ...[0, 1, 2].map((ply) => expectedRow(games[2]!, ply)),
    ];
    const batch = buffer.allocateBatch(10);
    const rows = [9, 0, 3, 4, 7, 1, 8, 2, 6, 5];
    buffer.fillBatch(rows, batch);
    expect(batch.size).toBe(10);
    rows.forEach((row, i) => expect(rowOf(batch, i), `batch row ${i} (buffer row ${row})`).toEqual(positions[row]));
    // A smaller draw into the same batch object.
    buffer.fillBatch([4], batch);
    expect(batch.size).toBe(1);
    expect(rowOf(batch, 0)).toEqual(positions[4]);
  });

  it('comes back from its serialized bytes with the same minibatches, and refuses bytes of another size', () => {
    const rng = new Rng(4, 'replay-serialize');
    const buffer = new ReplayBuffer(12, INPUTS, ACTIONS);
    for (let g = 0; g < 4; g++) buffer.addGame(game(g, 2 + g, rng));
    const { header, data } = buffer.serialize();
    const restored = ReplayBuffer.deserialize(header, data, INPUTS, ACTIONS);
    expect([restored.size, restored.totalAdded]).toEqual([buffer.size, buffer.totalAdded]);
    const rows = Array.from({ length: buffer.size }, (_, i) => (i * 5) % buffer.size);
    const [a, b] = [buffer.allocateBatch(rows.length), restored.allocateBatch(rows.length)];
    buffer.fillBatch(rows, a);
    restored.fillBatch(rows, b);
    expect(b).toEqual(a);
    // Both continue as one ring.
    const next = game(9, 5, rng);
    buffer.addGame(next);
    restored.addGame(next);
    expect(restored.serialize()).toEqual(buffer.serialize());
    expect(() => ReplayBuffer.deserialize(header, data.subarray(1), INPUTS, ACTIONS)).toThrow(/saved data has \d+ bytes, expected \d+/);
  });
});
