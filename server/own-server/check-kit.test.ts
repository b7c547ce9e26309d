import { describe, expect, it } from 'vitest';
import { countOutcomes, summaryLine, summaryLineRu, type CheckResult } from '../../contracts/own-server/check-result.ts';
import { printable, verdict, withTimeout } from './check-kit.ts';
import { frameMessage, grpcStatusFromHttp, unframeMessages } from './grpc-client.ts';

const result = (outcome: CheckResult['outcome']): CheckResult => ({
  id: outcome,
  name: { en: '', ru: '' },
  outcome,
  sent: '',
  expected: { en: '', ru: '' },
  why: { clause: '', text: { en: '', ru: '' } },
  got: '',
});

describe('the summary line', () => {
  it('starts with "N passed, N failed" and adds "not offered" only when there is some', () => {
    expect(summaryLine(countOutcomes([result('pass'), result('pass'), result('fail')]))).toBe('2 passed, 1 failed');
    expect(summaryLine(countOutcomes([result('pass'), result('not-offered'), result('not-offered')]))).toBe('1 passed, 0 failed, 2 not offered');
    expect(summaryLineRu({ passed: 3, failed: 1, notOffered: 2 })).toBe('пройдено: 3, не пройдено: 1, не предлагается: 2');
  });
});

describe('verdict', () => {
  it('passes when every expectation holds, else names the first unmet one', () => {
    expect(verdict('s', 'g', [[true, { en: 'a', ru: 'а' }]]).outcome).toBe('pass');
    const failed = verdict('s', 'g', [
      [true, { en: 'a', ru: 'а' }],
      [false, { en: 'b', ru: 'б' }],
      [false, { en: 'c', ru: 'в' }],
    ]);
    expect(failed).toEqual({ outcome: 'fail', sent: 's', got: 'g', difference: { en: 'b', ru: 'б' } });
  });
});

describe('printable', () => {
  it('shows UTF-8 as text without CR, other bytes as \\xNN, and cuts long transcripts', () => {
    expect(printable(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\nпривет'))).toBe('GET / HTTP/1.1\nHost: x\n\nпривет');
    expect(printable(Buffer.from([0x81, 0x02, 0x68, 0xc3, 0x28]))).toBe('\\x81\\x02h\\xc3(');
    expect(printable('x'.repeat(10), 4)).toBe('xxxx… (10 B)');
  });
});

describe('gRPC framing', () => {
  it('length-prefixes messages and reads several back', () => {
    const framed = Buffer.concat([frameMessage(Uint8Array.of(8, 1)), frameMessage(new Uint8Array())]);
    expect([...framed]).toEqual([0, 0, 0, 0, 2, 8, 1, 0, 0, 0, 0, 0]);
    expect(unframeMessages(framed).map((message) => [...message])).toEqual([[8, 1], []]);
  });

  it('maps an HTTP status without grpc-status as gRPC clients do', () => {
    expect(grpcStatusFromHttp(404)).toBe(12);
    expect(grpcStatusFromHttp(503)).toBe(14);
    expect(grpcStatusFromHttp(500)).toBe(2);
    expect(grpcStatusFromHttp(200)).toBeNull();
  });
});

describe('withTimeout', () => {
  it('fails at once on a signal that was already aborted (its abort event will never come again)', async () => {
    const stopped = new AbortController();
    stopped.abort();
    const never = new Promise<never>(() => undefined);
    await expect(withTimeout(never, 60_000, stopped.signal, 'an answer')).rejects.toThrow(/the check was stopped: an answer/);
  });

  it('says the suite ran out of time when its time signal fired', async () => {
    const timedOut = AbortSignal.timeout(0);
    await new Promise<void>((resolve) => timedOut.addEventListener('abort', () => resolve(), { once: true }));
    await expect(withTimeout(new Promise<never>(() => undefined), 60_000, timedOut, 'a frame')).rejects.toThrow(/ran out of time: a frame/);
  });
});
