// Direct-mapped transposition table in one typed array: each slot holds the full 49-bit
// position key (so a hit is never a collision) and a 7-bit bound code, packed in two
// 32-bit words [key lo (28 bits), key hi (21 bits) | code << 21]. Code 0 means empty.
// New entries always replace old ones, as in the reference solver.
//
// Clearing a 64 MiB table costs milliseconds, more than solving an easy position; the
// table therefore journals the slots it fills and clears only those, unless so many were
// filled that a full clear is cheaper.

const HI_KEY_MASK = 0x1fffff;

export class TranspositionTable {
  readonly log2Size: number;
  /** Exposed so the search can inline the probe; write only through put(). */
  readonly slots: Uint32Array;
  readonly shift: number;
  private readonly journal: Int32Array;
  private journalLength = 0;
  private journalOverflow = false;

  constructor(log2Size = 23) {
    if (!(log2Size >= 10 && log2Size <= 28)) throw new RangeError(`transposition table: log2Size ${log2Size} outside 10..28`);
    this.log2Size = log2Size;
    this.slots = new Uint32Array(2 << log2Size);
    // Touch every page now: the OS maps fresh memory lazily, and a page fault on each first
    // probe would otherwise cost more than a whole easy solve.
    for (let i = 0; i < this.slots.length; i += 1024) this.slots[i] = 0;
    this.shift = 32 - log2Size;
    this.journal = new Int32Array(1 << Math.min(20, log2Size - 3));
  }

  get sizeBytes(): number {
    return this.slots.byteLength;
  }

  /** Slot of a key. The search inlines this hash: keep the two in step. */
  private index(kl: number, kh: number): number {
    return (Math.imul(kl ^ Math.imul(kh, 0x27d4eb2f), 0x9e3779b1) >>> this.shift) << 1;
  }

  /** The stored code for this key, or 0. */
  get(kl: number, kh: number): number {
    const i = this.index(kl, kh);
    const w = this.slots[i + 1]!;
    return this.slots[i] === kl && (w & HI_KEY_MASK) === kh ? w >>> 21 : 0;
  }

  put(kl: number, kh: number, code: number): void {
    const i = this.index(kl, kh);
    if (this.slots[i + 1] === 0 && !this.journalOverflow) {
      if (this.journalLength < this.journal.length) this.journal[this.journalLength++] = i;
      else this.journalOverflow = true;
    }
    this.slots[i] = kl;
    this.slots[i + 1] = kh | (code << 21);
  }

  reset(): void {
    if (this.journalOverflow) {
      this.slots.fill(0);
    } else {
      for (let j = 0; j < this.journalLength; j++) {
        const i = this.journal[j]!;
        this.slots[i] = 0;
        this.slots[i + 1] = 0;
      }
    }
    this.journalLength = 0;
    this.journalOverflow = false;
  }
}
