import type { SubscribeOptions } from './event-bus.ts';

/** The chats whose messages go through the bus. */
export const CHAT_VIAS = ['websocket', 'socket.io'] as const;

export type ChatVia = (typeof CHAT_VIAS)[number];

/** One chat message a chat accepted (after its own checks and limits), whichever protocol carried it. */
export interface ChatMessage {
  sandboxId: string;
  /** the room as the chat's clients name it (the WebSocket chat has one room per sandbox: its id) */
  room: string;
  /** the sender's name */
  name: string;
  text: string;
  /** ISO 8601, the same instant the chat's own clients were given */
  at: string;
  via: ChatVia;
}

export type ChatMessageListener = (message: ChatMessage) => void;

interface Subscription {
  listener: ChatMessageListener;
  sandboxId?: string;
  localOnly: boolean;
}

/**
 * The chats' messages, apart from the protocols that carried them: a chat publishes what it
 * accepted, mirrors (the MQTT broker) subscribe. Nothing is kept: a chat message is not a change
 * of the domain, and a subscriber that was not listening has missed it, as a chat member would.
 */
export class ChatBus {
  private readonly subscriptions = new Set<Subscription>();

  /** `options.localOnly`: only messages this process published, not those `relayed` from other instances. */
  subscribe(listener: ChatMessageListener, options: SubscribeOptions = {}): () => void {
    const subscription: Subscription = { listener, sandboxId: options.sandboxId, localOnly: options.localOnly === true };
    this.subscriptions.add(subscription);
    return () => {
      this.subscriptions.delete(subscription);
    };
  }

  /** A message a chat of this process accepted. */
  publish(message: ChatMessage): void {
    this.deliver(message, false);
  }

  /** A message another instance published (relayed through Redis): `localOnly` subscribers skip it. */
  relayed(message: ChatMessage): void {
    this.deliver(message, true);
  }

  private deliver(message: ChatMessage, relayed: boolean): void {
    for (const { listener, sandboxId, localOnly } of [...this.subscriptions]) {
      if (sandboxId !== undefined && sandboxId !== message.sandboxId) continue;
      if (relayed && localOnly) continue;
      try {
        listener(message);
      } catch (error) {
        // A broken subscriber must not take the message away from the others, nor from the chat that sent it.
        process.emitWarning(`chat message listener failed: ${String(error)}`, 'WirelabChatListenerWarning');
      }
    }
  }
}
