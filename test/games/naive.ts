// Deliberately naive reference implementations of both games for the tests: plain 2-D
// arrays, full rescans, no bitboards, no shared tables with src/games. They are slow and
// obvious, so that agreeing with them means something.

/** Cell contents: 0 empty, 1 player 0, 2 player 1. */
export type Grid = number[][];

// ------------------------------------------------------------------ Connect Four

export class NaiveConnect4 {
  /** grid[row][col], row 0 at the bottom. */
  grid: Grid;
  ply = 0;
  /** null while playing, else 0 / 1 winner or 'draw'. */
  result: 0 | 1 | 'draw' | null = null;

  constructor(
    readonly width = 7,
    readonly height = 6,
  ) {
    this.grid = Array.from({ length: height }, () => new Array<number>(width).fill(0));
  }

  legal(): number[] {
    if (this.result !== null) return [];
    const out: number[] = [];
    for (let c = 0; c < this.width; c++) if (this.grid[this.height - 1]![c] === 0) out.push(c);
    return out;
  }

  play(col: number): void {
    if (!this.legal().includes(col)) throw new Error(`naive c4: illegal ${col}`);
    let row = 0;
    while (this.grid[row]![col] !== 0) row++;
    const stone = (this.ply % 2) + 1;
    this.grid[row]![col] = stone;
    this.ply++;
    if (this.hasFour(stone)) this.result = (stone - 1) as 0 | 1;
    else if (this.ply === this.width * this.height) this.result = 'draw';
  }

  hasFour(stone: number): boolean {
    return naiveHasRun(this.grid, stone, 4);
  }
}

/** Whether `stone` has `length` in a row anywhere in the grid (rows x cols, any directions). */
export function naiveHasRun(grid: Grid, stone: number, length: number): boolean {
  const rows = grid.length;
  const cols = grid[0]!.length;
  const dirs = [
    [0, 1],
    [1, 0],
    [1, 1],
    [1, -1],
  ];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      for (const [dr, dc] of dirs) {
        let k = 0;
        while (k < length) {
          const rr = r + k * dr!;
          const cc = c + k * dc!;
          if (rr < 0 || rr >= rows || cc < 0 || cc >= cols || grid[rr]![cc] !== stone) break;
          k++;
        }
        if (k === length) return true;
      }
    }
  }
  return false;
}

// ------------------------------------------------------------------ Pentago

/** The 8 cells around a 3x3 quadrant's centre, clockwise on the printed board (row 1 on top). */
const RING: [number, number][] = [
  [0, 0],
  [1, 0],
  [2, 0],
  [2, 1],
  [2, 2],
  [1, 2],
  [0, 2],
  [0, 1],
];
/** Quadrant origins (x, y): 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left. */
const QUADRANT_ORIGIN: [number, number][] = [
  [0, 0],
  [3, 0],
  [3, 3],
  [0, 3],
];

export class NaivePentago {
  /** grid[y][x], y = 0 is row "1" at the top. */
  grid: Grid = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
  ply = 0;
  result: 0 | 1 | 'draw' | null = null;

  static fromGrid(grid: Grid): NaivePentago {
    const p = new NaivePentago();
    p.grid = grid.map((row) => row.slice());
    p.ply = grid.flat().filter((v) => v !== 0).length;
    return p;
  }

  clone(): NaivePentago {
    const p = NaivePentago.fromGrid(this.grid);
    p.ply = this.ply;
    p.result = this.result;
    return p;
  }

  /** Legal actions, increasing: every empty cell with each of the 8 rotations. */
  legal(): number[] {
    if (this.result !== null) return [];
    const out: number[] = [];
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 6; x++) {
        if (this.grid[y]![x] !== 0) continue;
        for (let r = 0; r < 8; r++) out.push((y * 6 + x) * 8 + r);
      }
    }
    return out;
  }

  /** Rotates a quadrant: clockwise moves each ring cell two steps on along the ring. */
  rotate(quadrant: number, clockwise: boolean): void {
    const [ox, oy] = QUADRANT_ORIGIN[quadrant]!;
    const before = RING.map(([x, y]) => this.grid[oy + y]![ox + x]!);
    for (let i = 0; i < 8; i++) {
      const to = clockwise ? (i + 2) % 8 : (i + 6) % 8;
      const [x, y] = RING[to]!;
      this.grid[oy + y]![ox + x] = before[i]!;
    }
  }

  play(action: number): void {
    if (!this.legal().includes(action)) throw new Error(`naive pentago: illegal ${action}`);
    const cell = Math.floor(action / 8);
    const r = action % 8;
    const x = cell % 6;
    const y = Math.floor(cell / 6);
    this.grid[y]![x] = (this.ply % 2) + 1;
    this.rotate(Math.floor(r / 2), r % 2 === 1);
    this.ply++;
    const five0 = naiveHasRun(this.grid, 1, 5);
    const five1 = naiveHasRun(this.grid, 2, 5);
    if (five0 && five1) this.result = 'draw';
    else if (five0) this.result = 0;
    else if (five1) this.result = 1;
    else if (this.ply === 36) this.result = 'draw';
  }
}

/** Parses a picture: rows top to bottom, 'X' or 'O' = player 0, '@' = player 1, '.' empty. */
export function gridFromPicture(picture: string): Grid {
  const rows = picture
    .trim()
    .split('\n')
    .map((line) => line.replace(/\s+/g, ''));
  return rows.map((row) => [...row].map((ch) => (ch === '.' ? 0 : ch === '@' ? 2 : 1)));
}
