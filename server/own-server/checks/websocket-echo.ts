// What every WebSocket check of /ws/echo is made of: a connection of its own, the frames both ways
// as the report's transcript, and the few verdicts the checks share (an echo, a close code).
import type { Bilingual } from '../../../shared/bilingual.ts';
import { failed, verdict, withSeen, type CheckDefinition, type Observation, type SuiteContext, type Expectation } from '../check-kit.ts';
import { browserWouldDrop, describeFrame, frameCloseCode, OPCODE, openWebSocket, type CheckedWebSocket, type Frame } from '../websocket-client.ts';

export const ECHO_PATH = '/ws/echo';

export type { Expectation };

/** Opens /ws/echo, lets `exchange` talk, and judges the frames; the log of both ways is the report. */
export async function onEcho(context: SuiteContext, exchange: (socket: CheckedWebSocket) => Promise<Expectation[]>): Promise<Observation> {
  const handshake = await openWebSocket(context, ECHO_PATH);
  const socket = handshake.connection;
  if (!socket) {
    return failed(handshake.sent, handshake.got, {
      en: `the handshake answered ${handshake.status}, not 101`,
      ru: `рукопожатие ответило ${handshake.status}, а не 101`,
    });
  }
  const seen = () => ({
    sent: `${handshake.sent}\n${socket.log.filter((line) => line.startsWith('→')).join('\n')}`,
    got: `${handshake.got}\n\n${socket.log.join('\n')}`,
  });
  try {
    const wrongAccept = browserWouldDrop(handshake);
    if (wrongAccept) return failed(seen().sent, seen().got, wrongAccept);
    const expectations = await exchange(socket);
    const masked = browserWouldDrop(handshake);
    const { sent, got } = seen();
    return verdict(sent, got, masked ? [[false, masked], ...expectations] : expectations);
  } catch (error) {
    // a timeout keeps the frames that did arrive (and a masked one is the reason, if any)
    const masked = browserWouldDrop(handshake);
    if (masked) return failed(seen().sent, seen().got, masked);
    throw withSeen(error, seen());
  } finally {
    socket.close();
  }
}

/** A frame as the transcript shows it (a long payload cut), for a difference that names what came. */
export function shown(frame: Frame | null): string {
  return frame ? describeFrame(frame) : '';
}

/**
 * 1011 (RFC 6455 §7.4.1: "an unexpected condition that prevented it from fulfilling the request")
 * is what a WebSocket library closes with when the application's handler raises (Python's
 * websockets, aiohttp, Starlette): said as that, since the student's code is what to look at.
 */
export const HANDLER_RAISED: Bilingual = {
  en: "the server closed with 1011 (Internal Error): your handler raised an exception, see the server's log (RFC 6455 §7.4.1)",
  ru: 'сервер закрыл соединение с кодом 1011 (Internal Error): ваш обработчик выбросил исключение, загляните в логи сервера (RFC 6455 §7.4.1)',
};

export const CLOSED_WITHOUT_ANSWER: Bilingual = {
  en: "the connection ended without an answer: most likely your handler raised an exception, see the server's log",
  ru: 'соединение закрылось без ответа: скорее всего, ваш обработчик выбросил исключение, загляните в логи сервера',
};

export function echoed(frame: Frame | null, opcode: number, payload: Buffer): Expectation[] {
  const kind = opcode === OPCODE.text ? 'text' : 'binary';
  return [
    // no frame at all, not even a close: the server dropped the connection, most often as its
    // handler raised with a frame of ours unread, and then the reset can even swallow its 1011 close
    [frame !== null, CLOSED_WITHOUT_ANSWER],
    [frameCloseCode(frame) !== 1011, HANDLER_RAISED],
    [
      frame?.opcode === opcode,
      {
        en: `the answer is not a ${kind} message: ${shown(frame)}`,
        ru: `ответ — не ${kind === 'text' ? 'текстовое' : 'двоичное'} сообщение: ${shown(frame)}`,
      },
    ],
    [
      frame !== null && frame.payload.equals(payload),
      {
        en: `the payload differs (length ${frame?.payload.length}, sent ${payload.length}): ${shown(frame)}`,
        ru: `содержимое другое (длина ${frame?.payload.length}, отправлено ${payload.length}): ${shown(frame)}`,
      },
    ],
  ];
}

/** The server answered with a close frame carrying one of `codes` (any of them passes). */
export function closedWith(frame: Frame | null, ...codes: number[]): Expectation {
  const got = frameCloseCode(frame);
  const wanted = codes.join(codes.length > 2 ? ', ' : ' or ');
  const wantedRu = codes.join(codes.length > 2 ? ', ' : ' или ');
  if (got === 1011 && !codes.includes(got)) return [false, HANDLER_RAISED];
  return [
    got !== null && codes.includes(got),
    {
      en:
        frame === null
          ? `the server closed the TCP connection without a close frame (expected one with code ${wanted})`
          : got === null
            ? `no close frame with a code came back (expected ${wanted}); came: ${shown(frame)}`
            : `close code ${got}, not ${wanted}`,
      ru:
        frame === null
          ? `сервер закрыл TCP-соединение без закрывающего кадра (ожидался кадр с кодом ${wantedRu})`
          : got === null
            ? `закрывающий кадр с кодом не пришёл (ожидался ${wantedRu}); пришло: ${shown(frame)}`
            : `код закрытия ${got}, а не ${wantedRu}`,
    },
  ];
}

/** A frame a server MUST fail the connection on, with `code` (1002, 1007), from an Autobahn|Testsuite category. */
export function mustFail(
  code: number,
  id: string,
  name: Bilingual,
  clause: string,
  text: Bilingual,
  send: (socket: CheckedWebSocket) => void,
): CheckDefinition<null> {
  const meaning = code === 1007 ? { en: 'invalid data', ru: 'несогласованные данные' } : { en: 'protocol error', ru: 'ошибка протокола' };
  return {
    id,
    name,
    expected: { en: `a close frame with code ${code} (${meaning.en}), no echo`, ru: `закрывающий кадр с кодом ${code} (${meaning.ru}), без эха` },
    why: { clause, text },
    run: (context) =>
      onEcho(context, async (socket) => {
        send(socket);
        return [closedWith(await socket.next(), code)];
      }),
  };
}

export const mustFail1002 = (id: string, name: Bilingual, clause: string, text: Bilingual, send: (socket: CheckedWebSocket) => void) =>
  mustFail(1002, id, name, clause, text, send);

/** A close frame's payload: the code (2 bytes, network order), then the reason in UTF-8. */
export const closeFrame = (code: number, reason = '') => {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return payload;
};
