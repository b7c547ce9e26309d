import { describe, expect, it } from 'vitest';
import { describeNode } from '../../web/inspector/exchange-sections.ts';
import { inspectorStrings } from '../../web/inspector/strings.ts';
import { decodeConnection } from '../decode-connection.ts';
import type { WireNode } from '../types.ts';
import { connectionOf, frameBytes, handshake } from './build-frames.test-helper.ts';
import { closeCodeName, closeCodeOf, closeCodeText, closeReasonBytes } from './close-codes.ts';

// Issue 22: the Russian inspector showed a close code's meaning in English ("1001 going away").

const CYRILLIC = /[а-яё]/i;

function find(node: WireNode, kind: string): WireNode | undefined {
  if (node.kind === kind) return node;
  for (const child of node.children ?? []) {
    const found = find(child, kind);
    if (found) return found;
  }
  return undefined;
}

describe('close code text in both languages', () => {
  it('names every code from 0 to 65 535 in English and in Russian', () => {
    const wrong: number[] = [];
    for (let code = 0; code <= 0xffff; code += 1) {
      const text = closeCodeText(code);
      if (text.en !== closeCodeName(code) || !CYRILLIC.test(text.ru) || CYRILLIC.test(text.en)) wrong.push(code);
    }
    expect(wrong).toEqual([]);
  });

  it('shows a client close frame (masked) and a server close frame in Russian in the Russian inspector', () => {
    const { request, response } = handshake();
    const closeFrom = (code: number, mask?: [number, number, number, number]) =>
      frameBytes({ opcode: 0x8, payload: new Uint8Array([code >> 8, code & 0xff, 0x62, 0x79, 0x65]), ...(mask ? { mask } : {}) });
    const { connection, chunks } = connectionOf([request, closeFrom(1001, [1, 2, 3, 4])], [response, closeFrom(4000)], true);
    const decoded = decodeConnection(connection, chunks);
    const closes = (decoded.messages ?? []).filter((message) => message.layer === 'ws-frame' && message.fields?.opcode === 'close');
    expect(closes.map((message) => message.fields?.closeCode)).toEqual([1001, 4000]);
    for (const message of closes) {
      const code = find(message.tree, 'ws-close-code')!;
      const russian = describeNode(code, inspectorStrings.ru);
      expect(russian.title).toBe('код закрытия');
      expect(russian.value).toBe(`${message.fields!.closeCode} ${closeCodeText(Number(message.fields!.closeCode)).ru}`);
      expect(describeNode(code, inspectorStrings.en).value).toBe(`${message.fields!.closeCode} ${closeCodeName(Number(message.fields!.closeCode))}`);
      // the timeline's row and the frame's own line
      const summary = inspectorStrings.ru.wireSummary(message)!;
      expect(summary).toContain(closeCodeText(Number(message.fields!.closeCode)).ru);
      expect(summary).not.toContain(closeCodeName(Number(message.fields!.closeCode)));
      expect(describeNode(message.tree, inspectorStrings.ru).value).toContain(closeCodeText(Number(message.fields!.closeCode)).ru);
    }
    expect(describeNode(find(closes[0].tree, 'ws-close-code')!, inspectorStrings.ru).value).toBe(
      '1001 сторона уходит (сервер останавливается, страницу закрыли)',
    );
  });
});

describe("a close frame's payload", () => {
  it('begins with its code, big-endian, then the reason (RFC 6455 §5.5.1); fewer than 2 bytes carry none', () => {
    const payload = Uint8Array.of(0x03, 0xe8, 0x62, 0x79, 0x65);
    expect(closeCodeOf(payload)).toBe(1000);
    expect(new TextDecoder().decode(closeReasonBytes(payload))).toBe('bye');
    expect(closeCodeOf(Uint8Array.of(0x11, 0x33))).toBe(4403);
    expect(closeCodeOf(Uint8Array.of(0x03))).toBeNull();
    expect(closeCodeOf(new Uint8Array(0))).toBeNull();
    expect(closeReasonBytes(Uint8Array.of(0x03))).toEqual(new Uint8Array(0));
  });
});
