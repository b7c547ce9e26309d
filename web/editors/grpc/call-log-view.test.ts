import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LangContext } from '../../kit/lang-context.ts';
import { applyRunnerMessage, emptyLog, type CallLog, type RunnerServerMessage } from './call-log.ts';
import { CallLogView } from './call-log-view.tsx';

// What the gRPC cell shows for a Trailers-Only answer from the runner: one HEADERS frame, its
// content-type under the response headers, its status fields under the trailers, and why.

const t0 = 1_732_260_000_000;
const trailersOnly: RunnerServerMessage[] = [
  { type: 'started', call: 'c1', t: t0 },
  { type: 'headers', call: 'c1', headers: { 'content-type': 'application/grpc' }, trailersOnly: true, t: t0 + 3 },
  {
    type: 'status',
    call: 'c1',
    code: 12,
    name: 'UNIMPLEMENTED',
    message: 'Method not found!',
    details: [],
    trailers: { 'grpc-status': '12', 'grpc-message': 'Method%20not%20found!' },
    trailersOnly: true,
    durationMs: 4,
    t: t0 + 4,
  },
];

function logOf(messages: RunnerServerMessage[]): CallLog {
  let log = emptyLog();
  let startedAt: number | null = null;
  for (const message of messages) ({ log, startedAt } = applyRunnerMessage(log, message, startedAt));
  return log;
}

const render = (log: CallLog, lang: 'en' | 'ru') => renderToString(createElement(LangContext.Provider, { value: lang }, createElement(CallLogView, { log })));

/** The HTML of the element with this test id, up to the end of its first list. */
const block = (html: string, testId: string) => new RegExp(`data-testid="${testId}"[\\s\\S]*?</dl>`).exec(html)?.[0] ?? '';

describe('<CallLogView> and a Trailers-Only answer', () => {
  it('names the single frame, with content-type among the headers and never among the trailers', () => {
    const html = render(logOf(trailersOnly), 'en');
    expect(html).toContain('Response headers (Trailers-Only: in the same HEADERS frame as the trailers)');
    expect(block(html, 'grpc-trailers-only-headers')).toContain('content-type');
    const trailers = block(html, 'grpc-trailers');
    expect(trailers).toContain('Trailers (Trailers-Only');
    expect(trailers).toContain('grpc-status');
    expect(trailers).not.toContain('content-type');
    expect(html).toContain('data-testid="grpc-trailers-only-note"');
  });

  it('explains it in Russian too', () => {
    const html = render(logOf(trailersOnly), 'ru');
    expect(html).toContain('Заголовки ответа (Trailers-Only: в том же кадре HEADERS, что и трейлеры)');
    expect(html).toMatch(/одним кадром HEADERS/);
  });

  it('keeps the plain titles for an answer in two frames', () => {
    const twoFrames: RunnerServerMessage[] = [
      trailersOnly[0],
      { type: 'headers', call: 'c1', headers: { 'content-type': 'application/grpc' }, t: t0 + 3 },
      { ...(trailersOnly[2] as Extract<RunnerServerMessage, { type: 'status' }>), trailersOnly: undefined },
    ];
    const html = render(logOf(twoFrames), 'en');
    expect(html).not.toContain('Trailers-Only');
    expect(html).toContain('Response headers');
  });
});

describe('<CallLogView> and a call refused while the student’s graceful shutdown holds the server down', () => {
  const refused = (details: unknown[]): RunnerServerMessage[] =>
    [
      { type: 'started', call: 'c2', t: t0 },
      {
        type: 'status',
        call: 'c2',
        code: 14,
        name: 'UNAVAILABLE',
        message: 'the server is shutting down',
        details,
        trailers: { 'grpc-status': '14' },
        trailersOnly: true,
        durationMs: 2,
        t: t0 + 2,
      },
    ] as RunnerServerMessage[];
  const shutDown = {
    type: 'google.rpc.ErrorInfo',
    value: { reason: 'SANDBOX_SHUT_DOWN', domain: 'wirelab.dev', metadata: { lesson: 'grpc', section: 'graceful-shutdown' } },
  };

  it('links to the lesson section that stopped it, in the page’s language', () => {
    expect(render(logOf(refused([shutDown])), 'ru')).toMatch(/data-testid="grpc-shutdown-note"[\s\S]*?href="\/ru\/grpc#graceful-shutdown"/);
    expect(render(logOf(refused([shutDown])), 'en')).toContain('href="/en/grpc#graceful-shutdown"');
  });

  it('says nothing for another UNAVAILABLE, or an ErrorInfo of another domain', () => {
    expect(render(logOf(refused([])), 'en')).not.toContain('grpc-shutdown-note');
    expect(render(logOf(refused([{ ...shutDown, value: { ...shutDown.value, domain: 'example.com' } }])), 'en')).not.toContain('grpc-shutdown-note');
  });
});
