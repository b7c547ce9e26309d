import { describe, expect, it } from 'vitest';
import { serverGoingAway } from './server-going-away.ts';
import { socketIoConsoleStrings } from './strings.ts';

describe('serverGoingAway', () => {
  it('reads the WebSocket’s 1001 and its reason from a transport close', () => {
    const details = { description: 'websocket connection closed', context: { code: 1001, reason: 'server shutting down / сервер выключается' } };
    expect(serverGoingAway('transport close', details)).toEqual({ transport: 'websocket', code: 1001, reason: 'server shutting down / сервер выключается' });
  });

  it('reads Engine.IO’s close packet on a poll', () => {
    expect(serverGoingAway('transport close', { description: 'transport closed by the server' })).toEqual({ transport: 'polling' });
  });

  it('is null for a drop, a kick, a close with another code, and no details', () => {
    expect(serverGoingAway('transport close', { description: 'websocket connection closed', context: { code: 1006, reason: '' } })).toBeNull();
    expect(serverGoingAway('transport error', { description: 'transport closed by the server' })).toBeNull();
    expect(serverGoingAway('io server disconnect', undefined)).toBeNull();
    expect(serverGoingAway('transport close', undefined)).toBeNull();
    expect(serverGoingAway('ping timeout', null)).toBeNull();
  });

  it('is said in both languages, with what the wire showed', () => {
    const websocket = { transport: 'websocket' as const, code: 1001, reason: 'server shutting down / сервер выключается' };
    expect(socketIoConsoleStrings.en.serverWentAway(websocket)).toBe(
      'Disconnected: the server stopped or is restarting (the WebSocket closed with 1001 “server shutting down / сервер выключается”) — the client reconnects by itself',
    );
    expect(socketIoConsoleStrings.ru.serverWentAway(websocket)).toBe(
      'Отключено: сервер остановлен или перезапускается (WebSocket закрыт с кодом 1001, причина «server shutting down / сервер выключается») — клиент переподключится сам',
    );
    expect(socketIoConsoleStrings.en.serverWentAway({ transport: 'polling' })).toContain('Engine.IO’s close packet');
    expect(socketIoConsoleStrings.ru.serverWentAway({ transport: 'polling' })).toContain('пакетом close Engine.IO');
    expect(socketIoConsoleStrings.en.serverNotBack('xhr poll error')).toBe('The server is not back yet (a polling request failed) — the client tries again');
    expect(socketIoConsoleStrings.ru.serverNotBack('xhr poll error')).toBe('Сервер ещё не вернулся (запрос polling не удался) — клиент попробует снова');
  });
});
