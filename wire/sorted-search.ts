/**
 * The last index whose key is at or below `value`, in keys sorted ascending (0 when even the
 * first is above it). `keyAt(i)` reads the i-th key, so it works over numbers or over objects.
 * Where a chunk, a frame or a row starts: the decoders and the hex view look these up per byte.
 */
export function lastIndexAtOrBelow(length: number, value: number, keyAt: (index: number) => number): number {
  let low = 0;
  let high = length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (keyAt(middle) <= value) low = middle;
    else high = middle - 1;
  }
  return low;
}
