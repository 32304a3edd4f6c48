// The search's hash table against a Map model: random inserts, overwrites, get-or-inserts, deletions
// (backward shifts across wrapped probe runs) and clears, on keys built to collide.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ABSENT, PositionTable, hashKey } from '../../src/az/position-table.ts';

describe('PositionTable', () => {
  it('behaves as a Map under random traffic, growth included', () => {
    const op = fc.oneof(
      fc.tuple(fc.constant('set' as const), fc.integer({ min: 0, max: 300 }), fc.nat(1000)),
      fc.tuple(fc.constant('getOrInsert' as const), fc.integer({ min: 0, max: 300 }), fc.nat(1000)),
      fc.tuple(fc.constant('delete' as const), fc.integer({ min: 0, max: 300 }), fc.constant(0)),
      fc.tuple(fc.constant('clear' as const), fc.constant(0), fc.constant(0)),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const table = new PositionTable(2);
        const model = new Map<number, number>();
        // Two-word keys equal in their first word: only the whole key tells them apart.
        const key = (id: number) => Int32Array.of(12345, id * 0x9e3779b1);
        for (const [kind, id, value] of ops) {
          if (kind === 'set') {
            table.set(key(id), 0, value);
            model.set(id, value);
          } else if (kind === 'getOrInsert') {
            expect(table.getOrInsert(key(id), 0, value)).toBe(model.get(id) ?? ABSENT);
            if (!model.has(id)) model.set(id, value);
          } else if (kind === 'delete') {
            expect(table.delete(key(id), 0)).toBe(model.delete(id));
          } else {
            table.clear();
            model.clear();
          }
          expect(table.size).toBe(model.size);
        }
        for (let id = 0; id <= 300; id++) expect(table.get(key(id), 0)).toBe(model.get(id) ?? ABSENT);
      }),
    );
  });

  it('keeps every survivor reachable when deletions shift entries back across the end of the array', () => {
    // A 16-slot table holding 8 keys whose home slots are 14, 15 and 0: their probe runs wrap
    // from slot 15 to slot 0, so backward shifts move entries across the wrap.
    const homes = [14, 15, 15, 15, 0, 15, 0, 14];
    const keys: Int32Array[] = [];
    for (let candidate = 1; keys.length < homes.length; candidate++) {
      const key = Int32Array.of(candidate);
      if ((hashKey(key, 0, 1) & 15) === homes[keys.length]) keys.push(key);
    }
    fc.assert(
      fc.property(fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6, 7], { minLength: 1 }), (victims) => {
        const table = new PositionTable(1, 8);
        keys.forEach((k, i) => table.set(k, 0, i));
        const gone = new Set<number>();
        for (const victim of victims) {
          expect(table.delete(keys[victim]!, 0)).toBe(true);
          gone.add(victim);
          keys.forEach((k, i) => expect(table.get(k, 0)).toBe(gone.has(i) ? ABSENT : i));
        }
        expect(table.size).toBe(keys.length - victims.length);
      }),
    );
  });

  it('reads keys at an offset and refuses negative values and bad widths', () => {
    const table = new PositionTable(3);
    const words = Int32Array.of(9, 1, 2, 3, 9);
    table.set(words, 1, 7);
    expect(table.get(Int32Array.of(1, 2, 3), 0)).toBe(7);
    expect(table.get(Int32Array.of(1, 2, 4), 0)).toBe(ABSENT);
    expect(() => table.set(words, 1, -1)).toThrow(/integers >= 0/);
    expect(() => table.getOrInsert(words, 1, 0.5)).toThrow(/integers >= 0/);
    expect(() => new PositionTable(0)).toThrow(/keyWords/);
  });
});
