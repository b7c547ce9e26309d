import { describe, expect, it, vi } from 'vitest';

describe('teacher wire sink', () => {
  it('keeps what arrives before the capture store, then hands it over in order, then passes through', async () => {
    vi.resetModules();
    const { deliverTeacherWire, setTeacherWireSink } = await import('./teacher-wire-sink.ts');
    const bytes = new Uint8Array([1, 2, 3]).buffer;
    expect(deliverTeacherWire('{"type":"reset"}')).toBe(true);
    expect(deliverTeacherWire(bytes)).toBe(true);
    const received: unknown[] = [];
    setTeacherWireSink((data) => received.push(data));
    expect(received).toEqual(['{"type":"reset"}', bytes]);
    expect(deliverTeacherWire('{"type":"closed"}')).toBe(false);
    expect(received).toEqual(['{"type":"reset"}', bytes, '{"type":"closed"}']);
  });
});
