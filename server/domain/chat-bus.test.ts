import { describe, expect, it, vi } from 'vitest';
import { ChatBus, type ChatMessage } from './chat-bus.ts';
import { createDomain } from './domain.ts';

function message(overrides: Partial<ChatMessage> = {}): ChatMessage {
  return { sandboxId: 'a', room: 'lobby', name: 'ada', text: 'hello', at: '2026-01-01T00:00:00.000Z', via: 'socket.io', ...overrides };
}

describe('ChatBus', () => {
  it('delivers a published message to every subscriber, as published', () => {
    const bus = new ChatBus();
    const first: ChatMessage[] = [];
    const second: ChatMessage[] = [];
    bus.subscribe((m) => first.push(m));
    bus.subscribe((m) => second.push(m));
    bus.publish(message());
    expect(first).toEqual([message()]);
    expect(second).toEqual([message()]);
  });

  it('gives a sandbox subscriber only its sandbox', () => {
    const bus = new ChatBus();
    const seen: string[] = [];
    bus.subscribe((m) => seen.push(m.text), { sandboxId: 'b' });
    bus.publish(message({ sandboxId: 'a', text: 'for a' }));
    bus.publish(message({ sandboxId: 'b', text: 'for b' }));
    expect(seen).toEqual(['for b']);
  });

  it('keeps relayed messages from localOnly subscribers, and gives them to the others', () => {
    const bus = new ChatBus();
    const local: string[] = [];
    const all: string[] = [];
    bus.subscribe((m) => local.push(m.text), { localOnly: true });
    bus.subscribe((m) => all.push(m.text));
    bus.publish(message({ text: 'made here' }));
    bus.relayed(message({ text: 'made elsewhere' }));
    expect(local).toEqual(['made here']);
    expect(all).toEqual(['made here', 'made elsewhere']);
  });

  it('stops delivering after unsubscribe', () => {
    const bus = new ChatBus();
    const seen: string[] = [];
    const unsubscribe = bus.subscribe((m) => seen.push(m.text));
    bus.publish(message({ text: 'one' }));
    unsubscribe();
    bus.publish(message({ text: 'two' }));
    expect(seen).toEqual(['one']);
  });

  it('reports a throwing subscriber as a warning and still delivers to the others', () => {
    const bus = new ChatBus();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('socket closed');
    });
    bus.subscribe((m) => seen.push(m.text));
    try {
      expect(() => bus.publish(message())).not.toThrow();
      expect(seen).toEqual(['hello']);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('socket closed'), 'WirelabChatListenerWarning');
    } finally {
      warn.mockRestore();
    }
  });

  it('is the domain’s `chat`, one per domain', () => {
    const one = createDomain({ file: ':memory:' });
    const other = createDomain({ file: ':memory:' });
    try {
      expect(one.chat).toBeInstanceOf(ChatBus);
      const seen: ChatMessage[] = [];
      other.chat.subscribe((m) => seen.push(m));
      one.chat.publish(message());
      expect(seen).toEqual([]);
    } finally {
      one.close();
      other.close();
    }
  });
});
