// Copies between typed arrays by range, for the search's hot paths: their ranges are mostly a
// network row of a few actions (7 in Connect Four), where making a subarray for the native
// copy costs an allocation and more time than the copy itself.

/** to[at .. at+count) = from[offset .. offset+count): an element loop for short ranges, a native copy for long ones. */
export function copyRange<T extends Float32Array | Int32Array | Uint16Array>(from: T, offset: number, to: T, at: number, count: number): void {
  if (count <= 32) {
    for (let i = 0; i < count; i++) to[at + i] = from[offset + i]!;
  } else {
    to.set(from.subarray(offset, offset + count), at);
  }
}
