import { describe, expect, it } from 'vitest';
import { escapeRedisGlob } from './broker-on-redis.ts';

describe('escapeRedisGlob', () => {
  it('escapes the characters a Redis pattern reads as glob syntax', () => {
    expect(escapeRedisGlob('rooms/[1]/#')).toBe('rooms/\\[1\\]/#');
    expect(escapeRedisGlob('a*b?/c\\d/+')).toBe('a\\*b\\?/c\\\\d/+');
  });

  it('leaves MQTT wildcards and ordinary text alone', () => {
    expect(escapeRedisGlob('$sandbox/s-1/orders/+/#')).toBe('$sandbox/s-1/orders/+/#');
  });
});
