import { describe, expect, it } from 'vitest';
import { formatBody, formatBytes } from './format-body.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('formatBody', () => {
  it('indents JSON and flags problem details', () => {
    expect(formatBody('application/json; charset=utf-8', bytes('{"a":[1]}'))).toEqual({ kind: 'json', text: '{\n  "a": [\n    1\n  ]\n}', problem: false });
    expect(formatBody('application/problem+json', bytes('{"status":422}'))).toMatchObject({ kind: 'json', problem: true });
  });

  it('keeps broken JSON as text instead of hiding it', () => {
    expect(formatBody('application/json', bytes('{"a":'))).toEqual({ kind: 'text', text: '{"a":', problem: false });
  });

  it('names binary bodies and empty ones', () => {
    expect(formatBody('image/png', new Uint8Array([137, 80, 78, 71, 0, 1]))).toEqual({ kind: 'binary', text: '6 bytes (image/png)', problem: false });
    expect(formatBody(null, new Uint8Array())).toEqual({ kind: 'empty', text: '', problem: false });
  });
});

describe('formatBytes', () => {
  it('is exact below a kilobyte and short above', () => {
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(1536, 'ru')).toBe('1,5 КБ');
  });
});
