import { describe, expect, it } from 'vitest';
import { encodeRelayFact } from '../../../contracts/own-server/relays.ts';
import { goingAwayText, ServerRestartWatch } from './server-restart.ts';

const SHUTDOWN = { code: 1001, reason: 'server shutting down / сервер выключается' };

describe('ServerRestartWatch', () => {
  it('retries from a 1001 on, through the refused connections, until connected again, and tells its listeners', () => {
    const watch = new ServerRestartWatch();
    const heard: string[] = [];
    const stop = watch.listen({ away: (close) => heard.push(`away ${close.code} ${close.reason}`), back: () => heard.push('back') });
    expect(watch.shouldRetry()).toBe(false);
    watch.closed(SHUTDOWN);
    expect(watch.shouldRetry()).toBe(true);
    // the server is down: the retries' sockets close without a frame
    watch.closed({ code: 1006, reason: '' });
    expect(watch.shouldRetry()).toBe(true);
    watch.connected();
    expect(watch.shouldRetry()).toBe(false);
    expect(heard).toEqual(['away 1001 server shutting down / сервер выключается', 'back']);
    stop();
    watch.closed(SHUTDOWN);
    watch.connected();
    expect(heard).toHaveLength(2);
  });

  it('starts afresh once the client gave up retrying', () => {
    const watch = new ServerRestartWatch();
    watch.closed(SHUTDOWN);
    watch.gaveUp();
    expect(watch.shouldRetry()).toBe(false);
    watch.closed({ code: 1006, reason: '' });
    expect(watch.shouldRetry()).toBe(false);
  });

  it('does not retry after a drop or another close, nor count a connect without a restart as one', () => {
    const watch = new ServerRestartWatch();
    const heard: string[] = [];
    watch.listen({ away: () => heard.push('away'), back: () => heard.push('back') });
    watch.connected();
    watch.closed({ code: 1006, reason: '' });
    watch.closed({ code: 4400, reason: 'Bad request' });
    watch.closed(new Error('not a close'));
    expect(watch.shouldRetry()).toBe(false);
    expect(heard).toEqual([]);
  });
});

describe('goingAwayText', () => {
  it('gives the close code and reason in both languages', () => {
    expect(goingAwayText(SHUTDOWN)).toEqual({
      en: 'the WebSocket closed with 1001 “server shutting down / сервер выключается”',
      ru: 'WebSocket закрыт с кодом 1001, причина «server shutting down / сервер выключается»',
    });
  });

  it('gives a relay’s fact as the relay words it', () => {
    const text = goingAwayText({ code: 1001, reason: encodeRelayFact({ fact: 'wirelab-stopping' }) });
    expect(text.en).toContain('Wirelab’s server is stopping');
    expect(text.ru).toContain('Сервер Wirelab выключается');
  });
});
