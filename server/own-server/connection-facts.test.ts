import { describe, expect, it } from 'vitest';
import { connectionFact, hostHint } from './connection-facts.ts';
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
    expect(connectionFact(socketError('socket hang up', 'ECONNRESET', 0), target)).toEqual({
      en: "The server closed the connection without answering: its handler most likely raised an exception (see the server's log).",
      ru: 'Сервер закрыл соединение, так и не ответив: скорее всего, его обработчик выбросил исключение (загляните в логи сервера).',
    });
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

describe('a LAN check that finds nothing listening (issue 51, item 5)', () => {
  const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}:8000`), { code: 'ECONNREFUSED', address });

  it('hints --host 0.0.0.0 when an address other than loopback refuses: a server bound to 127.0.0.1', () => {
    const hint = hostHint(refused('192.168.1.5'), { host: '192.168.1.5', port: 8000 })!;
    expect(hint.en).toBe(
      "192.168.1.5 is reached over the network, and a server started on 127.0.0.1 (the starters' default) takes connections from its own machine only: start it with --host 0.0.0.0.",
    );
    expect(hint.ru).toBe(
      'К 192.168.1.5 подключаются по сети, а сервер, запущенный на 127.0.0.1 (так стартеры запускаются по умолчанию), принимает соединения только со своей машины: запустите его с --host 0.0.0.0.',
    );
    expect(hostHint(refused('::ffff:10.0.0.7'), { host: 'pc7.local', port: 8000 })?.en).toMatch(/^10\.0\.0\.7 is reached over the network/);
    // a cell's request says it too
    const fact = connectionFact(refused('192.168.1.5'), { host: '192.168.1.5', port: 8000 }, 'request')!;
    expect(fact.en).toMatch(/Is your server running, on that port\? 192\.168\.1\.5 is reached over the network.*--host 0\.0\.0\.0\.$/);
    expect(fact.ru).toMatch(/--host 0\.0\.0\.0\.$/);
  });

  it('says nothing of the kind for loopback, a name it could not connect to, or an error other than a refusal', () => {
    expect(hostHint(refused('127.0.0.1'), { host: '127.0.0.1', port: 8000 })).toBeNull();
    expect(hostHint(refused('::1'), { host: '::1', port: 8000 })).toBeNull();
    expect(hostHint(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), { host: 'localhost', port: 8000 })).toBeNull();
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', address: '192.168.1.5' });
    expect(hostHint(reset, { host: '192.168.1.5', port: 8000 })).toBeNull();
  });
});
