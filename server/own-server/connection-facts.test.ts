import { describe, expect, it } from 'vitest';
import { connectionFact } from './connection-facts.ts';
import { ConnectionLimitError } from './connection.ts';

const target = { host: '127.0.0.1', port: 8000 };
const socketError = (message: string, code: string, receivedBytes?: number) => Object.assign(new Error(message), { code, receivedBytes });

describe('a failed connection as a fact, in both languages', () => {
  it('says what happened instead of the error text', () => {
    expect(connectionFact(socketError('connect ECONNREFUSED 127.0.0.1:8000', 'ECONNREFUSED'), target)?.en).toMatch(
      /^Connection refused: nothing listens at 127\.0\.0\.1:8000/,
    );
    expect(connectionFact(socketError('read ECONNRESET', 'ECONNRESET', 42), target)).toEqual({
      en: 'The server reset the connection (TCP RST) after sending 42 bytes.',
      ru: 'Сервер сбросил соединение (TCP RST), прислав до этого байт: 42.',
    });
    expect(connectionFact(socketError('socket hang up', 'ECONNRESET', 1), target)?.en).toBe(
      'The server closed the connection after sending 1 byte, before a whole answer.',
    );
    expect(connectionFact(new Error('no answer within 5000 ms: GET /api/v1/users'), target)).toEqual({
      en: 'No answer within 5 s (waiting for GET /api/v1/users).',
      ru: 'Нет ответа за 5 с (ждали: GET /api/v1/users).',
    });
    expect(connectionFact(new ConnectionLimitError(1024), target)?.ru).toMatch(/больше 1024 байт/);
    expect(connectionFact(new Error('no TCP connection within 3000 ms'), target)?.ru).toMatch(/За 3 с/);
  });

  it('words a refusal for one request (a cell) without supposing a suite was running', () => {
    const fact = connectionFact(socketError('connect ECONNREFUSED 127.0.0.1:8000', 'ECONNREFUSED'), target, 'request')!;
    expect(fact.en).toBe('Connection refused: nothing listens at 127.0.0.1:8000. Is your server running, on that port?');
    expect(fact.ru).toBe('В соединении отказано: по адресу 127.0.0.1:8000 никто не слушает. Ваш сервер запущен, и на этом порту?');
  });

  it('leaves other errors alone', () => {
    expect(connectionFact(new Error('unexpected token'), target)).toBeNull();
    expect(connectionFact('a string', target)).toBeNull();
  });
});
