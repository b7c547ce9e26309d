/**
 * How far the server's clock is ahead of this browser's, in ms. Captured bytes carry the
 * server's timestamps; on a classroom LAN a student's laptop may be off by seconds or minutes.
 * The `Date` header has one-second resolution, so offsets under 1.5 s are indistinguishable
 * from the same clock and count as zero.
 */
export function estimateClockOffset(dateHeader: string | null, sentAt: number, receivedAt: number): number {
  const serverSecond = dateHeader ? Date.parse(dateHeader) : NaN;
  if (Number.isNaN(serverSecond)) return 0;
  const offset = serverSecond + 500 - (sentAt + receivedAt) / 2;
  return Math.abs(offset) < 1500 ? 0 : Math.round(offset);
}
