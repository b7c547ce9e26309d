// What a check that could not finish says instead of a stack trace: the fact about the connection
// (refused, reset after N bytes, no answer in N s, too many bytes), in both languages.
import { isIP } from 'node:net';
import type { Bilingual } from '../../shared/bilingual.ts';
import { ConnectionLimitError, type Target } from './connection.ts';
import { NotHttp2Error } from './h2-server-first.ts';

type SocketError = Error & { code?: string; receivedBytes?: number; address?: string };

/**
 * When a connection to an address other than loopback is refused, the server most likely listens
 * on 127.0.0.1 only (every starter's default), which takes no connection that comes over the
 * network: a student in class checking their laptop's LAN address, or anyone aiming at this
 * machine's own LAN address. The guard lets a student reach only their own machine, so the
 * address is theirs. The words that say so, or null (loopback, a name, another error).
 */
export function hostHint(error: unknown, target: Target): Bilingual | null {
  const { code, address } = (error ?? {}) as SocketError;
  if (code !== 'ECONNREFUSED') return null;
  const peer = (address ?? target.host).replace(/^::ffff:/i, '');
  if (!isIP(peer) || isLoopback(peer)) return null;
  return {
    en: `${peer} is reached over the network, and a server started on 127.0.0.1 (the starters' default) takes connections from its own machine only: start it with --host 0.0.0.0.`,
    ru: `К ${peer} подключаются по сети, а сервер, запущенный на 127.0.0.1 (так стартеры запускаются по умолчанию), принимает соединения только со своей машины: запустите его с --host 0.0.0.0.`,
  };
}

const isLoopback = (ip: string) => ip === '::1' || ip.startsWith('127.');

const withHint = (fact: Bilingual, hint: Bilingual | null): Bilingual => (hint ? { en: `${fact.en} ${hint.en}`, ru: `${fact.ru} ${hint.ru}` } : fact);

/**
 * The fact behind an error a check's connection failed with, or null when it is not about the
 * connection. `during`: a suite (a refusal then means the server stopped half way) or a cell's
 * one request (nothing listens there).
 */
export function connectionFact(error: unknown, target: Target, during: 'checks' | 'request' = 'checks'): Bilingual | null {
  if (!(error instanceof Error)) return null;
  const { code, receivedBytes } = error as SocketError;
  const address = `${target.host}:${target.port}`;
  if (error instanceof ConnectionLimitError) {
    return {
      en: `The server sent more than ${error.limitBytes} bytes on one connection; Wirelab cut it there.`,
      ru: `Сервер прислал по одному соединению больше ${error.limitBytes} байт; Wirelab оборвал его на этом.`,
    };
  }
  if (error instanceof NotHttp2Error) {
    return {
      en: `${address} does not speak HTTP/2: its first bytes (${error.hex}) are not a SETTINGS frame, which an HTTP/2 server sends first (RFC 9113 §3.4). Wirelab sent it nothing of the call.`,
      ru: `${address} не говорит на HTTP/2: его первые байты (${error.hex}) — не кадр SETTINGS, с которого начинает сервер HTTP/2 (RFC 9113 §3.4). Ничего из вызова Wirelab ему не отправил.`,
    };
  }
  if (code === 'ECONNREFUSED' && during === 'request') {
    const fact = {
      en: `Connection refused: nothing listens at ${address}. Is your server running, on that port?`,
      ru: `В соединении отказано: по адресу ${address} никто не слушает. Ваш сервер запущен, и на этом порту?`,
    };
    return withHint(fact, hostHint(error, target));
  }
  if (code === 'ECONNREFUSED') {
    return {
      en: `Connection refused: nothing listens at ${address} any more (did the server stop during the checks?).`,
      ru: `В соединении отказано: по адресу ${address} больше никто не слушает (сервер остановился во время проверок?).`,
    };
  }
  const bytes = receivedBytes ?? 0;
  if (code === 'ECONNRESET' && error.message === 'socket hang up' && bytes === 0) {
    // not one byte of an answer: what http.server, a WSGI server or a raw socket does when the handler raises
    return {
      en: "The server closed the connection without answering: its handler most likely raised an exception (see the server's log).",
      ru: 'Сервер закрыл соединение, так и не ответив: скорее всего, его обработчик выбросил исключение (загляните в логи сервера).',
    };
  }
  if (code === 'ECONNRESET' && error.message === 'socket hang up') {
    // node:http's word for a connection closed (FIN or RST) before a whole answer came
    return {
      en: `The server closed the connection after sending ${bytes} ${bytes === 1 ? 'byte' : 'bytes'}, before a whole answer.`,
      ru: `Сервер закрыл соединение, не дослав ответ: пришло байт — ${bytes}.`,
    };
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return {
      en: `The server reset the connection (TCP RST) after sending ${bytes} ${bytes === 1 ? 'byte' : 'bytes'}.`,
      ru: `Сервер сбросил соединение (TCP RST), прислав до этого байт: ${bytes}.`,
    };
  }
  const silence = /^no answer within (\d+) ms: (.*)$/.exec(error.message);
  if (silence) {
    const seconds = Number(silence[1]) / 1000;
    return { en: `No answer within ${seconds} s (waiting for ${silence[2]}).`, ru: `Нет ответа за ${seconds} с (ждали: ${silence[2]}).` };
  }
  const noConnect = /^no TCP connection within (\d+) ms$/.exec(error.message);
  if (noConnect) {
    const seconds = Number(noConnect[1]) / 1000;
    return { en: `No TCP connection to ${address} within ${seconds} s.`, ru: `За ${seconds} с не удалось установить TCP-соединение с ${address}.` };
  }
  return null;
}
