// The self-play workers' lockstep, kept in shared memory between the workers themselves.
// After every move each worker posts how many states its finished games brought this
// collect; once every worker has posted that move, each adds up everyone's count: all of
// them reach the same total, so all stop at the same move boundary, the one a single thread
// playing every slot would stop at.
//
// Relaying each move through the coordinator's thread instead cost ~0.6 ms per move on a
// 2-vCPU VM (a worker that sleeps in the event loop, and the coordinator that wakes it, each
// pay a wake-up), ~8% of a Connect Four move at width 16. A waiting worker here spins
// briefly first: the other worker is usually only a fraction of a millisecond behind.
//
// A worker need not sit idle meanwhile: it searches its next move and poll()s between
// rounds, and plays that move only once the others' counts say the collect goes on
// (lockstep-collect.ts); await() is for when the search is done and the counts are not.

/** Control words: [abort flag, then per worker: moves played, states at even/odd moves]. */
const ABORT = 0;
const WORDS_PER_WORKER = 3;
const movesAt = (worker: number) => 1 + worker * WORDS_PER_WORKER;
const statesAt = (worker: number, move: number) => 2 + worker * WORDS_PER_WORKER + (move & 1);

/** How long a waiting worker polls before it sleeps. */
const SPIN_MS = 1;
/** A sleeping worker still looks at the abort flag this often (an abort also wakes it). */
const SLEEP_MS = 50;

export class WorkerAbortedError extends Error {}

export class MoveBarrier {
  private readonly control: Int32Array;

  /** Wraps the buffer from MoveBarrier.buffer(workers), shared by the coordinator and every worker. */
  constructor(
    buffer: SharedArrayBuffer,
    private readonly workers: number,
  ) {
    this.control = new Int32Array(buffer);
  }

  static buffer(workers: number): SharedArrayBuffer {
    return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * (1 + WORDS_PER_WORKER * workers));
  }

  /**
   * Worker `worker` has played its `move`-th move (counted over the runner's life, the same
   * for every worker), and its finished games brought `states` states in this collect so far.
   * A worker posts move+1 only after every worker has posted `move` (it plays a move only once
   * it knows the collect goes on past the one before).
   */
  post(worker: number, move: number, states: number): void {
    const { control } = this;
    // States are two words deep (even and odd moves): a worker can be at most one move ahead
    // of a reader, as it cannot post move+2 before every worker has posted move+1.
    Atomics.store(control, statesAt(worker, move), states);
    Atomics.store(control, movesAt(worker), move);
    Atomics.notify(control, movesAt(worker));
  }

  /** All workers' states after their `move`-th move once every worker has posted it, else null. */
  poll(move: number): number | null {
    const { control } = this;
    if (Atomics.load(control, ABORT) !== 0) throw new WorkerAbortedError('self-play: another worker failed');
    let total = 0;
    for (let w = 0; w < this.workers; w++) {
      if (Atomics.load(control, movesAt(w)) < move) return null;
      total += Atomics.load(control, statesAt(w, move));
    }
    return total;
  }

  /** As poll(), waiting for the workers that have not posted `move` yet. */
  await(move: number): number {
    for (let w = 0; w < this.workers; w++) this.awaitMove(w, move);
    return this.poll(move)!;
  }

  /** Releases every waiting worker with a WorkerAbortedError: a worker failed, the collect cannot finish. */
  abort(): void {
    Atomics.store(this.control, ABORT, 1);
    for (let w = 0; w < this.workers; w++) Atomics.notify(this.control, movesAt(w));
  }

  private awaitMove(worker: number, move: number): void {
    const { control } = this;
    const at = movesAt(worker);
    const spinUntil = performance.now() + SPIN_MS;
    for (;;) {
      if (Atomics.load(control, ABORT) !== 0) throw new WorkerAbortedError('self-play: another worker failed');
      const played = Atomics.load(control, at);
      if (played >= move) return;
      if (performance.now() >= spinUntil) Atomics.wait(control, at, played, SLEEP_MS);
    }
  }
}
