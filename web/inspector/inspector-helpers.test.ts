import { describe, expect, it } from 'vitest';
import type { WireNode } from '../../wire/types.ts';
import { isAppTraffic } from '../../contracts/exercise-checks/app-traffic.ts';
import { clientPort, formatBytes, formatDuration } from './format.ts';
import { asciiGlyph, layoutHexRows, rowAt, rowOf, rowsBetween, type HexSection } from './hex-rows.ts';
import { inspectorStrings } from './strings.ts';
import { ancestorKeys, deepestPathAt, nodeAt } from './tree-paths.ts';

const tree: WireNode = {
  kind: 'http-response',
  label: 'HTTP/1.1 200 OK',
  range: { start: 100, end: 160 },
  children: [
    { kind: 'status-line', label: 'HTTP/1.1 200 OK', range: { start: 100, end: 117 } },
    {
      kind: 'headers',
      label: 'Headers',
      range: { start: 117, end: 137 },
      children: [
        {
          kind: 'header',
          label: 'Content-Length',
          value: '21',
          range: { start: 117, end: 137 },
          children: [
            { kind: 'header-name', label: 'Name', range: { start: 117, end: 131 } },
            { kind: 'header-value', label: 'Value', range: { start: 133, end: 135 } },
            { kind: 'crlf', label: 'CRLF', range: { start: 135, end: 137 } },
          ],
        },
      ],
    },
    { kind: 'blank-line', label: 'CRLF', range: { start: 137, end: 139 } },
    { kind: 'body', label: 'Body', range: { start: 139, end: 160 } },
  ],
};

describe('tree paths', () => {
  it('finds the deepest node holding a byte', () => {
    expect(deepestPathAt(tree, 134)).toEqual([1, 0, 1]);
    expect(nodeAt(tree, [1, 0, 1])?.kind).toBe('header-value');
    // the ": " between name and value belongs to the header only
    expect(deepestPathAt(tree, 132)).toEqual([1, 0]);
    expect(deepestPathAt(tree, 150)).toEqual([3]);
    expect(deepestPathAt(tree, 160)).toBeNull();
    expect(deepestPathAt(tree, 99)).toBeNull();
  });

  it('names the ancestors that must be open', () => {
    expect(ancestorKeys(1, [1, 0, 1])).toEqual(['1:', '1:1', '1:1.0']);
  });
});

describe('hex rows', () => {
  const section = (length: number): HexSection => ({ dir: 'in', title: 'x', start: 1000, bytes: new Uint8Array(length), tree });

  it('lays out a title and 16 bytes a row per section', () => {
    const layout = layoutHexRows([section(33), section(16)]);
    expect(layout.rowCount).toBe(6);
    expect(rowsBetween(layout, 0, 99)).toEqual([
      { type: 'title', section: 0, view: 'wire' },
      { type: 'bytes', section: 0, view: 'wire', from: 0, to: 16 },
      { type: 'bytes', section: 0, view: 'wire', from: 16, to: 32 },
      { type: 'bytes', section: 0, view: 'wire', from: 32, to: 33 },
      { type: 'title', section: 1, view: 'wire' },
      { type: 'bytes', section: 1, view: 'wire', from: 0, to: 16 },
    ]);
    expect(rowOf(layout, 0, 32)).toBe(3);
    expect(rowOf(layout, 1, 15)).toBe(5);
  });

  it('finds any row of a megabyte without laying out the rest', () => {
    const layout = layoutHexRows([section(5), section(1024 * 1024 + 1)]);
    expect(layout.rowCount).toBe(2 + 1 + 65_537);
    expect(rowsBetween(layout, 2, 4)).toEqual([
      { type: 'title', section: 1, view: 'wire' },
      { type: 'bytes', section: 1, view: 'wire', from: 0, to: 16 },
    ]);
    expect(rowAt(layout, layout.rowCount - 1)).toEqual({ type: 'bytes', section: 1, view: 'wire', from: 1024 * 1024, to: 1024 * 1024 + 1 });
  });

  it('adds a block of unmasked bytes after a section that has them, and finds rows in either block', () => {
    const masked: HexSection = { ...section(20), unmasked: new Uint8Array(20) };
    const layout = layoutHexRows([masked, section(3)]);
    expect(rowsBetween(layout, 0, 99)).toEqual([
      { type: 'title', section: 0, view: 'wire' },
      { type: 'bytes', section: 0, view: 'wire', from: 0, to: 16 },
      { type: 'bytes', section: 0, view: 'wire', from: 16, to: 20 },
      { type: 'title', section: 0, view: 'unmasked' },
      { type: 'bytes', section: 0, view: 'unmasked', from: 0, to: 16 },
      { type: 'bytes', section: 0, view: 'unmasked', from: 16, to: 20 },
      { type: 'title', section: 1, view: 'wire' },
      { type: 'bytes', section: 1, view: 'wire', from: 0, to: 3 },
    ]);
    expect(rowOf(layout, 0, 17)).toBe(2);
    expect(rowOf(layout, 0, 17, 'unmasked')).toBe(5);
    expect(rowOf(layout, 1, 0, 'unmasked')).toBe(7);
  });

  it('shows CR and LF visibly', () => {
    expect([0x0d, 0x0a, 0x09, 0x41, 0x20, 0x00, 0xff].map(asciiGlyph).join('')).toBe('␍␊␉A ..');
  });
});

describe('app traffic', () => {
  it.each([
    ['GET', '/_wirelab/session', true],
    ['GET', '/assets/index-abc.js', true],
    ['GET', '/favicon.ico', true],
    ['GET', '/@vite/client', true],
    ['GET', '/node_modules/.vite/deps/react.js', true],
    ['GET', '/', true],
    ['GET', '/ru/rest', true],
    ['GET', '/en', true],
    ['GET', '/api/v1/users', false],
    ['POST', '/en/whatever', false],
    ['GET', '/entries', false],
  ])('%s %s → %s', (method, path, expected) => {
    expect(isAppTraffic({ method, path })).toBe(expected);
  });
});

describe('formatting', () => {
  const t = inspectorStrings.en;
  it('formats sizes, durations and ports', () => {
    expect(formatBytes(512, t)).toBe('512 B');
    expect(formatBytes(1536, t)).toBe('1.5 KB');
    expect(formatBytes(1536, inspectorStrings.ru)).toBe('1.5 КБ');
    expect(formatDuration(1.234, t)).toBe('1.23 ms');
    expect(formatDuration(-2500, t, true)).toBe('−2.50 s');
    expect(formatDuration(12.34, t, true)).toBe('+12.3 ms');
    expect(clientPort('127.0.0.1:53312')).toBe('53312');
    expect(clientPort('[::1]:40000')).toBe('40000');
  });
});
