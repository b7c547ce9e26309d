import { ru } from './node-text.ts';
import type { ByteStream } from './stream-assembler.ts';
import type { DecodedConnection, HttpExchange, WireMessage, WireNode } from './types.ts';

// The tap records what the server wrote; a client that had closed its socket never read what
// came after (server/tap/README.md, "Not delivered"). The connection says from which outbound
// offset on: the messages and responses there are marked, and a note covers those bytes, so
// that nothing the client never got reads as sent. Trees are not touched (a DecodeMemo shares
// them between decodes): messages and responses are copied with the mark.

export function markUndelivered<T extends DecodedConnection & { streams: { in: ByteStream; out: ByteStream } }>(decoded: T): T {
  const undelivered = decoded.connection.undelivered;
  const end = decoded.streams.out.end;
  if (!undelivered || end <= undelivered.from) return decoded;
  const { from } = undelivered;
  const reaches = (range: { end: number }) => range.end > from;
  const messages = decoded.messages?.map(
    (message): WireMessage =>
      message.dir === 'out' && reaches(message.range) ? { ...message, undelivered: true, fields: { ...message.fields, undelivered: true } } : message,
  );
  const exchanges = decoded.exchanges.map((exchange): HttpExchange => {
    const response = exchange.response;
    return response && reaches(response.range) ? { ...exchange, response: { ...response, undelivered: true } } : exchange;
  });
  return {
    ...decoded,
    exchanges,
    ...(messages ? { messages } : {}),
    notes: [...decoded.notes, { dir: 'out', node: undeliveredNote(from, end, undelivered.reason) }],
  };
}

function undeliveredNote(from: number, end: number, reason: string): WireNode {
  const why =
    reason === 'peer-closed'
      ? {
          en: 'written after the client had closed the connection (FIN); its reset (RST) says it never read them',
          ru: 'записаны после того, как клиент закрыл соединение (FIN); его сброс (RST) говорит, что он их не прочитал',
        }
      : { en: 'written after the client had reset the connection (RST)', ru: 'записаны после того, как клиент сбросил соединение (RST)' };
  return ru(
    {
      kind: 'undelivered',
      label: 'Not delivered: the server wrote these bytes, the client never got them',
      value: `${end - from} B ${why.en}`,
      range: { start: from, end },
      error: 'not-delivered',
    },
    'Не доставлено: сервер записал эти байты, но клиент их не получил',
    `${end - from} Б ${why.ru}`,
  );
}
