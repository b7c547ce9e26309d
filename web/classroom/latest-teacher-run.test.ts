import { describe, expect, it } from 'vitest';
import type { InspectedExchange } from '../inspector/capture-store.ts';
import type { WireMessage } from '../../wire/types.ts';
import { latestTeacherRun } from './latest-teacher-run.ts';

const exchange = (conn: string, index: number, method: string, path: string) =>
  ({ connection: { id: conn }, index, request: { method, path } }) as unknown as InspectedExchange;
const message = (conn: string, index: number) => ({ conn, index }) as unknown as WireMessage;

describe('the teacher’s newest run', () => {
  it('is none before the teacher ran anything but the app itself', () => {
    expect(latestTeacherRun({ exchanges: [], messages: [] })).toBeNull();
    expect(latestTeacherRun({ exchanges: [exchange('c1', 0, 'GET', '/ru/rest'), exchange('c1', 1, 'GET', '/assets/app.js')], messages: [] })).toBeNull();
  });

  it('changes with a new request, and not with the app’s own traffic', () => {
    const first = latestTeacherRun({ exchanges: [exchange('c1', 0, 'GET', '/api/v1/users/3')], messages: [] });
    expect(first).not.toBeNull();
    expect(latestTeacherRun({ exchanges: [exchange('c1', 0, 'GET', '/api/v1/users/3'), exchange('c1', 1, 'GET', '/en/rest')], messages: [] })).toBe(first);
    expect(latestTeacherRun({ exchanges: [exchange('c1', 0, 'GET', '/api/v1/users/3'), exchange('c1', 1, 'GET', '/api/v1/users/3')], messages: [] })).not.toBe(
      first,
    );
  });

  it('changes with a new message', () => {
    const before = latestTeacherRun({ exchanges: [], messages: [message('c2', 0)] });
    expect(latestTeacherRun({ exchanges: [], messages: [message('c2', 0), message('c2', 1)] })).not.toBe(before);
  });

  it('still changes when the store has dropped its oldest connection to make room for a new run', () => {
    const full = latestTeacherRun({ exchanges: [exchange('c1', 0, 'GET', '/api/v1/users'), exchange('c2', 0, 'GET', '/api/v1/posts')], messages: [] });
    const afterDrop = latestTeacherRun({ exchanges: [exchange('c2', 0, 'GET', '/api/v1/posts'), exchange('c3', 0, 'GET', '/api/v1/users')], messages: [] });
    expect(afterDrop).not.toBe(full);
  });
});
