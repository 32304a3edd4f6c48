// The network's policy row cut down to the legal actions: the form a tree's edges take.
// A tree does this once for a node it descends through; most leaves never are (a search
// visits few of the positions it evaluates twice), so their rows are only copied whole.

/** Where compactLegal() writes: views of a tree's edge priors (as float32 bits) and actions. */
export interface EdgeArrays {
  priorBits: Int32Array;
  actions: Uint16Array;
  /** The actions two at a time, low half first: pair i holds actions 2i and 2i+1. */
  actionPairs: Uint32Array;
}

export function edgeArrays(priors: Float32Array, actions: Uint16Array): EdgeArrays {
  return {
    priorBits: new Int32Array(priors.buffer, priors.byteOffset, priors.length),
    actions,
    actionPairs: new Uint32Array(actions.buffer, actions.byteOffset, actions.length >> 1),
  };
}

/** Four legal-mask bytes of 1, read as one word (either byte order). */
const ALL_LEGAL = 0x01010101;
export const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * The words of a legal mask of `numActions` bytes at offset 0 of its own buffer, when the word
 * path of compactLegal() applies: a whole number of words, and action pairs packed low half
 * first, which needs a little-endian machine. Otherwise null.
 */
export function maskWordsOf(mask: Uint8Array, numActions: number): Uint32Array | null {
  if (numActions % 4 !== 0 || !LITTLE_ENDIAN || mask.byteOffset % 4 !== 0) return null;
  return new Uint32Array(mask.buffer, mask.byteOffset, numActions / 4);
}

/**
 * Writes the priors of the legal actions (mask bytes 0/1) of the row at rowBits[rowOffset ..)
 * (float32 bits), in increasing action order, and those actions, into `edges` from index
 * `first` (even) on; returns how many. Priors move as bits (integer copies, no float
 * conversions), so the tree's priors are the network's bytes. `edges` must have room for
 * numActions entries from `first`.
 */
export function compactLegal(
  rowBits: Int32Array,
  rowOffset: number,
  mask: Uint8Array,
  maskWords: Uint32Array | null,
  edges: EdgeArrays,
  first: number,
  numActions: number,
): number {
  const { priorBits, actions, actionPairs } = edges;
  let k = first;
  let a = 0;
  if (maskWords !== null) {
    // Four mask bytes at a time: Pentago's actions come in runs of 8 per cell, so words are
    // all legal or all illegal. Such a word is written at k whatever it holds, and k moves on
    // by 4 or 0: no branch on legality, which follows the occupied cells and which a branch
    // predictor cannot guess. k stays even, so the actions go as pairs of 16-bit values per
    // 32-bit store. A mixed word hands the rest of the row to the byte loop.
    for (let w = 0; a < numActions; a += 4, w++) {
      const word = maskWords[w]!;
      // One comparison whatever the word holds (`word !== 0 && ...` would branch on it).
      if (word !== (word & 1) * ALL_LEGAL) break;
      const o = rowOffset + a;
      priorBits[k] = rowBits[o]!;
      priorBits[k + 1] = rowBits[o + 1]!;
      priorBits[k + 2] = rowBits[o + 2]!;
      priorBits[k + 3] = rowBits[o + 3]!;
      const pair = k >> 1;
      actionPairs[pair] = a | ((a + 1) << 16);
      actionPairs[pair + 1] = (a + 2) | ((a + 3) << 16);
      k += (word & 1) << 2;
    }
  }
  // Branch-free: every action is written at k, and k only moves on past legal ones.
  for (; a < numActions; a++) {
    priorBits[k] = rowBits[rowOffset + a]!;
    actions[k] = a;
    k += mask[a]!;
  }
  return k - first;
}
