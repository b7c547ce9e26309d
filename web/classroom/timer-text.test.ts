import { describe, expect, it } from 'vitest';
import { timeLeftMs, timeLeftText } from './timer-text.ts';

describe('the class timer', () => {
  it('shows the time left rounded up to the second, 0:00 when it is up', () => {
    expect(timeLeftText(10 * 60_000)).toBe('10:00');
    expect(timeLeftText(59_001)).toBe('1:00');
    expect(timeLeftText(59_000)).toBe('0:59');
    expect(timeLeftText(3 * 3600_000 + 5_000)).toBe('3:00:05');
    expect(timeLeftText(-5_000)).toBe('0:00');
  });

  it('counts to the server’s end whatever this browser’s clock says', () => {
    // this browser runs 30 s behind the server: the server's end is 90 s after the browser's now, 60 s after the server's
    expect(timeLeftMs(1_000_000 + 60_000, 30_000, 970_000)).toBe(60_000);
  });
});
