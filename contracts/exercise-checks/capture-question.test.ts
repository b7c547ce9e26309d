import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { trafficOfCaptureFile } from './capture-file-traffic.ts';
import { evaluateCaptureAsk, messagePick, type CaptureQuestion } from './capture-question.ts';
import { checkNeedsAnswer } from './check-reading.ts';
import { evaluateCheck } from './evaluate-check.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../wire/capture-file/fixtures/${name}`, import.meta.url)));

describe('a question about a capture file', () => {
  const traffic = trafficOfCaptureFile(fixture('grpc-python.pcapng'))!;
  const trailers = { layer: 'h2-frame', dir: 'out' as const, fields: { type: 'HEADERS', endStream: true } };

  it('passes a pick of a message that matches, by an identity that survives another decode', () => {
    const frame = traffic.messages.find(
      (message) => message.layer === 'h2-frame' && message.dir === 'out' && message.fields?.endStream === true && message.fields?.type === 'HEADERS',
    );
    expect(frame).toBeDefined();
    const again = trafficOfCaptureFile(fixture('grpc-python.pcapng'))!;
    expect(evaluateCaptureAsk({ type: 'pick-message', match: trailers }, again, messagePick(frame!)).passed).toBe(true);
  });

  it('refuses a pick of another message, a pick of nothing in the file, and no answer', () => {
    const other = traffic.messages.find((message) => message.layer === 'h2-frame' && message.fields?.type === 'SETTINGS')!;
    expect(evaluateCaptureAsk({ type: 'pick-message', match: trailers }, traffic, messagePick(other))).toMatchObject({
      passed: false,
      miss: { kind: 'wrong-pick' },
    });
    expect(evaluateCaptureAsk({ type: 'pick-message', match: trailers }, traffic, 'message c99 h2-frame out 0')).toMatchObject({
      passed: false,
      miss: { kind: 'wrong-pick' },
    });
    expect(evaluateCaptureAsk({ type: 'pick-message', match: trailers }, traffic, ' ')).toMatchObject({ passed: false, miss: { kind: 'no-answer' } });
  });

  it('is never passed by a session’s traffic, not even the file’s own with the right pick: only evaluateCaptureAsk judges it', () => {
    const question: CaptureQuestion = { type: 'capture', file: 'captures/grpc-python.pcapng', ask: { type: 'pick-message', match: trailers } };
    const frame = traffic.messages.find(
      (message) => message.layer === 'h2-frame' && message.dir === 'out' && message.fields?.endStream === true && message.fields?.type === 'HEADERS',
    )!;
    expect(evaluateCheck(question, traffic.exchanges, messagePick(frame), traffic.messages)).toEqual({
      passed: false,
      miss: { kind: 'capture-file', file: 'captures/grpc-python.pcapng' },
    });
    expect(evaluateCaptureAsk(question.ask, traffic, messagePick(frame)).passed).toBe(true);
    expect(checkNeedsAnswer(question)).toBe(true);
  });

  it('reads nothing from a file that is no capture', () => {
    expect(trafficOfCaptureFile(new TextEncoder().encode('not a capture'))).toBeNull();
  });
});
