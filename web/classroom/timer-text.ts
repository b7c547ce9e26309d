/** What a class timer shows: the time left, rounded up to the second, as m:ss (h:mm:ss past an hour); 0:00 once it is up. */
export function timeLeftText(leftMs: number): string {
  const seconds = Math.max(0, Math.ceil(leftMs / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The time left of a timer that ends at `endsMs` on the server's clock, `offset` being the server's clock minus this browser's. */
export function timeLeftMs(endsMs: number, offset: number, now = Date.now()): number {
  return endsMs - (now + offset);
}
