import { describe, expect, it } from 'vitest';
import type { WireNode } from '../../wire/types.ts';
import { tabStopKey, treeKeyAction, visibleTreeNodes } from './tree-keys.ts';

const leaf = (kind: string, start: number, end: number): WireNode => ({ kind, label: kind, range: { start, end } });
const node = (kind: string, start: number, end: number, children: WireNode[]): WireNode => ({ kind, label: kind, range: { start, end }, children });

// section 0: request (0:) › request-line (0:0), headers (0:1) › host (0:1.0), accept (0:1.1); body (0:2)
// section 1: response (1:) › status-line (1:0)
const request = node('http-request', 0, 60, [
  leaf('request-line', 0, 16),
  node('headers', 16, 50, [leaf('header', 16, 30), leaf('header', 30, 50)]),
  leaf('body', 50, 60),
]);
const response = node('http-response', 60, 80, [leaf('status-line', 60, 77)]);
const roots = [request, response];

const keysOf = (expanded: string[]) => visibleTreeNodes(roots, new Set(expanded)).map((visible) => visible.key);
const act = (key: string, current: string, expanded: string[] = ['0:', '0:1', '1:']) => treeKeyAction(key, visibleTreeNodes(roots, new Set(expanded)), current);

describe('visibleTreeNodes', () => {
  it('walks open nodes in reading order across the messages, with levels and parents', () => {
    const visible = visibleTreeNodes(roots, new Set(['0:', '0:1', '1:']));
    expect(visible.map((entry) => entry.key)).toEqual(['0:', '0:0', '0:1', '0:1.0', '0:1.1', '0:2', '1:', '1:0']);
    expect(visible.find((entry) => entry.key === '0:1.1')).toMatchObject({ level: 3, parentKey: '0:1', expandable: false, section: 0, path: [1, 1] });
    expect(visible.find((entry) => entry.key === '0:1')).toMatchObject({ level: 2, expandable: true, expanded: true });
  });

  it('leaves out the children of a closed node, and those past the shown limit', () => {
    expect(keysOf(['0:', '1:'])).toEqual(['0:', '0:0', '0:1', '0:2', '1:', '1:0']);
    expect(keysOf([])).toEqual(['0:', '1:']);
    const visible = visibleTreeNodes(roots, new Set(['0:', '0:1']), (key) => (key === '0:1' ? 1 : 100));
    expect(visible.map((entry) => entry.key)).toEqual(['0:', '0:0', '0:1', '0:1.0', '0:2', '1:']);
  });
});

describe('treeKeyAction (WAI-ARIA tree pattern)', () => {
  it('Down and Up move to the next and previous visible node, across messages, and stop at the ends', () => {
    expect(act('ArrowDown', '0:1')).toEqual({ kind: 'focus', key: '0:1.0' });
    expect(act('ArrowDown', '0:2')).toEqual({ kind: 'focus', key: '1:' });
    expect(act('ArrowUp', '1:')).toEqual({ kind: 'focus', key: '0:2' });
    expect(act('ArrowUp', '0:')).toBeNull();
    expect(act('ArrowDown', '1:0')).toBeNull();
  });

  it('Down skips the children of a closed node', () => {
    expect(act('ArrowDown', '0:1', ['0:'])).toEqual({ kind: 'focus', key: '0:2' });
  });

  it('Right opens a closed node, then moves into its first child; on a leaf it does nothing', () => {
    expect(act('ArrowRight', '0:1', ['0:'])).toEqual({ kind: 'toggle', key: '0:1' });
    expect(act('ArrowRight', '0:1')).toEqual({ kind: 'focus', key: '0:1.0' });
    expect(act('ArrowRight', '0:0')).toBeNull();
  });

  it('Left closes an open node, or moves to the parent; on a closed root it does nothing', () => {
    expect(act('ArrowLeft', '0:1')).toEqual({ kind: 'toggle', key: '0:1' });
    expect(act('ArrowLeft', '0:1.1')).toEqual({ kind: 'focus', key: '0:1' });
    expect(act('ArrowLeft', '0:1', ['0:'])).toEqual({ kind: 'focus', key: '0:' });
    expect(act('ArrowLeft', '1:', [])).toBeNull();
  });

  it('Home and End go to the first and last visible node', () => {
    expect(act('Home', '0:1.1')).toEqual({ kind: 'focus', key: '0:' });
    expect(act('End', '0:1.1')).toEqual({ kind: 'focus', key: '1:0' });
    // already on the last one: nothing to do
    expect(act('End', '1:', ['0:'])).toBeNull();
  });

  it('Enter and Space open and close a node with children, and leave a leaf alone', () => {
    expect(act('Enter', '0:1')).toEqual({ kind: 'toggle', key: '0:1' });
    expect(act(' ', '0:', [])).toEqual({ kind: 'toggle', key: '0:' });
    expect(act('Enter', '0:2')).toBeNull();
  });

  it('leaves other keys to the page (Tab, letters)', () => {
    expect(act('Tab', '0:1')).toBeNull();
    expect(act('a', '0:1')).toBeNull();
  });

  it('from a node no longer shown, a tree key goes to the first node', () => {
    expect(act('ArrowDown', '0:1.1', [])).toEqual({ kind: 'focus', key: '0:' });
    expect(act('Tab', '0:1.1', [])).toBeNull();
  });
});

describe('tabStopKey (roving tabindex)', () => {
  const visible = visibleTreeNodes(roots, new Set(['0:', '1:']));
  it('is the wanted node while shown, else its nearest shown ancestor, else the first node', () => {
    expect(tabStopKey(visible, '0:2')).toBe('0:2');
    expect(tabStopKey(visible, '0:1.1')).toBe('0:1');
    expect(tabStopKey(visible, null)).toBe('0:');
    expect(tabStopKey(visibleTreeNodes(roots, new Set()), '1:0')).toBe('1:');
    expect(tabStopKey([], '0:')).toBeNull();
  });
});
