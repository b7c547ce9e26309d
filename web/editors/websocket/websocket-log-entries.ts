import { readRelayFact, relayFactIsFault, relayFactText } from '../../../contracts/own-server/relays.ts';
import { bilingual, type NewLogEntry } from '../console-kit/console-log.tsx';
import { clip, utf8Length } from '../console-kit/text.ts';
import { formatHex } from '../console-kit/hex.ts';
import { websocketConsoleStrings } from './strings.ts';
import { GOING_AWAY } from '../../../wire/websocket/close-codes.ts';

const say = bilingual(websocketConsoleStrings);

/** What the WHATWG WebSocket API sends: text as UTF-8 (text frame), bytes as they are (binary frame). */
export type Outgoing = { kind: 'text'; text: string } | { kind: 'binary'; bytes: Uint8Array<ArrayBuffer> };

/** The log's line for a message the server sent: text as it came, binary as hex. */
export function receivedEntry(data: string | ArrayBuffer): NewLogEntry {
  return typeof data === 'string'
    ? { kind: 'received', badge: say((t) => t.textMessage), text: clip(data), data: { type: 'text' } }
    : {
        kind: 'received',
        badge: say((t) => t.binaryMessage),
        text: say((t) => `${formatHex(new Uint8Array(data))} (${t.size(data.byteLength)})`),
        data: { type: 'binary' },
      };
}

/** The log's line for a message the console sent: text with its UTF-8 size, bytes as hex. */
export function sentEntry(outgoing: Outgoing, inspect: NewLogEntry['inspect']): NewLogEntry {
  return outgoing.kind === 'text'
    ? {
        kind: 'sent',
        badge: say((t) => t.textMessage),
        text: say((t) => `${clip(outgoing.text)} (${t.size(utf8Length(outgoing.text))})`),
        inspect,
        data: { type: 'text' },
      }
    : {
        kind: 'sent',
        badge: say((t) => t.binaryMessage),
        text: say((t) => `${formatHex(outgoing.bytes)} (${t.size(outgoing.bytes.length)})`),
        inspect,
        data: { type: 'binary' },
      };
}

/** The log's line once the socket is open: the subprotocol and extensions the server chose. */
export function openedEntry(protocol: string, extensions: string, handshake: NewLogEntry['inspect']): NewLogEntry {
  return {
    kind: 'info',
    text: say((t) => t.openedWith(protocol, extensions)),
    inspectLabel: say((t) => t.showHandshake),
    inspect: handshake,
    data: { event: 'open' },
  };
}

/** The log's line for the close frame the console sends (no code: "Disconnect"). */
export function closingEntry(code: number | undefined, reason: string | undefined, closeFrame: NewLogEntry['inspect']): NewLogEntry {
  return { kind: 'sent', badge: 'close', text: say((t) => t.closing(code, reason)), inspect: closeFrame, data: { type: 'close' } };
}

/**
 * The log's line for the close: Wirelab's relay's fact (what the student's server did wrong), or
 * the code and reason. `fromWirelab`: the socket was Wirelab's own (not relayed), whose 1001 is
 * the server stopping (server/listener/goodbye.ts): the line says so, and how to come back.
 */
export function closedEntry(event: CloseEvent, handshake: NewLogEntry['inspect'], closeFrame: NewLogEntry['inspect'], fromWirelab = false): NewLogEntry {
  const fact = readRelayFact(event.code, event.reason);
  if (fact)
    return {
      kind: relayFactIsFault(fact) ? 'error' : 'info',
      text: relayFactText(fact),
      inspectLabel: say((t) => t.showHandshake),
      inspect: handshake,
      data: { event: 'close', code: String(event.code), fact: fact.fact },
    };
  const serverGoingAway = fromWirelab && event.code === GOING_AWAY;
  return {
    kind: event.wasClean ? 'info' : 'error',
    text: say((t) => `${t.closedLine(event.code, event.reason, event.wasClean)}${serverGoingAway ? `. ${t.serverRestarting}` : ''}`),
    inspectLabel: say((t) => t.closeFrame),
    inspect: closeFrame,
    data: { event: 'close', code: String(event.code), ...(serverGoingAway ? { 'server-away': 'true' } : {}) },
  };
}
