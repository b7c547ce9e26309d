import { describe, expect, it } from 'vitest';
import { encodeRelayFact, relayCloseCode, type RelayFact } from '../../../contracts/own-server/relays.ts';
import { closedEntry, receivedEntry, sentEntry } from './websocket-log-entries.ts';

const closeEvent = (code: number, reason: string, wasClean: boolean) => ({ code, reason, wasClean }) as CloseEvent;

describe('the WebSocket console’s log lines', () => {
  it('shows a text message as it came and a binary one as hex with its size, in both languages', () => {
    expect(receivedEntry('hello')).toMatchObject({ kind: 'received', text: 'hello', data: { type: 'text' } });
    expect(receivedEntry(new Uint8Array([1, 255]).buffer)).toMatchObject({
      kind: 'received',
      text: { en: '01 ff (2 B)', ru: '01 ff (2 Б)' },
      data: { type: 'binary' },
    });
  });

  it('counts a sent text in UTF-8 bytes, not characters', () => {
    expect(sentEntry({ kind: 'text', text: 'привет' }, undefined).text).toEqual({ en: 'привет (12 B)', ru: 'привет (12 Б)' });
    expect(sentEntry({ kind: 'binary', bytes: new Uint8Array([0x0a]) }, undefined)).toMatchObject({ data: { type: 'binary' } });
  });

  it('reads the relay’s fact from its close, and a plain close by whether it was clean', () => {
    const fact: RelayFact = { fact: 'refused', address: '127.0.0.1:9000' };
    const byRelay = closedEntry(closeEvent(relayCloseCode(fact), encodeRelayFact(fact), true), undefined, undefined);
    expect(byRelay).toMatchObject({ kind: 'error', data: { event: 'close', code: '4502', fact: 'refused' } });
    expect(closedEntry(closeEvent(1000, '', true), undefined, undefined)).toMatchObject({ kind: 'info', data: { code: '1000' } });
    expect(closedEntry(closeEvent(1006, '', false), undefined, undefined).kind).toBe('error');
  });

  it('says Wirelab stops on the relay’s 1001, and leaves a 1001 of the student’s own server theirs', () => {
    const stopping: RelayFact = { fact: 'wirelab-stopping' };
    const byWirelab = closedEntry(closeEvent(1001, encodeRelayFact(stopping), true), undefined, undefined);
    // news, not a fault: the line is not shown as an error
    expect(byWirelab).toMatchObject({ kind: 'info', data: { event: 'close', code: '1001', fact: 'wirelab-stopping' } });
    expect((byWirelab.text as { ru: string }).ru).toMatch(/^Сервер Wirelab выключается — ваш сервер ни при чём/);
    const byStudent = closedEntry(closeEvent(1001, 'restarting', true), undefined, undefined);
    expect(byStudent).toMatchObject({ kind: 'info', data: { event: 'close', code: '1001' } });
    expect(byStudent.data).not.toHaveProperty('fact');
    expect(byStudent.data).not.toHaveProperty('server-away');
  });

  it('says the server stopped or is restarting on the 1001 of Wirelab’s own endpoint, and how to come back', () => {
    const shutdown = closedEntry(closeEvent(1001, 'server shutting down / сервер выключается', true), undefined, undefined, true);
    expect(shutdown).toMatchObject({ kind: 'info', data: { event: 'close', code: '1001', 'server-away': 'true' } });
    expect(shutdown.text).toEqual({
      en: 'Closed: code 1001, reason “server shutting down / сервер выключается” — going away. The server stopped or is restarting: press Connect once it is back.',
      ru: 'Закрыто: код 1001, причина «server shutting down / сервер выключается» — сторона уходит. Сервер остановлен или перезапускается: когда он вернётся, нажмите «Подключиться».',
    });
    expect(closedEntry(closeEvent(1000, '', true), undefined, undefined, true).data).not.toHaveProperty('server-away');
  });
});
