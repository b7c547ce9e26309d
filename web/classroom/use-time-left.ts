import { useEffect, useState } from 'react';
import type { ClassTimer } from '../../contracts/class-channel/messages.ts';
import { timeLeftMs } from './timer-text.ts';

/**
 * Milliseconds left on the class timer, on the server's clock (`offset`: server − this browser),
 * re-rendering on each second's edge until it is up.
 */
export function useTimeLeft(timer: ClassTimer, offset: number): number {
  const [now, setNow] = useState(Date.now);
  const left = timeLeftMs(timer.endsMs, offset, now);
  useEffect(() => {
    if (left <= 0) return;
    const tick = setTimeout(() => setNow(Date.now()), Math.min(1000, left % 1000 || 1000));
    return () => clearTimeout(tick);
  }, [left]);
  return left;
}
