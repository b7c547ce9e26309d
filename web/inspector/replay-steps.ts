// A capture in time order, one step per exchange and per frame or message, for stepping through
// it (replay-stepper.tsx), and the URL fragment that points at one step: `#insp=c2.out.h2-frame.1234`
// (the HTTP/2 frame whose first byte is byte 1234 the server sent on connection c2), `#insp=c1.x0` (exchange 0).
import type { HttpExchange, CapturedConnection, WireMessage } from '../../wire/types.ts';
import { messageSelection, type Selection } from './exchange-sections.ts';

export interface ReplayStep {
  selection: Selection;
  /** ms since the Unix epoch: the request's first byte, the frame's first byte */
  at: number;
  /** a step "message by message" stops at: not a transport frame carrying other layers' messages */
  isMessage: boolean;
}

/** Frames of a transport whose payload is read as messages of their own (gRPC messages, HTTP/2 exchanges). */
const TRANSPORT_FRAME_LAYERS = new Set(['h2-frame', 'h2-preface']);

/** Every exchange and message of these connections, oldest first (ties keep the connection's order). */
export function replaySteps(
  connections: readonly { connection: CapturedConnection; exchanges: readonly HttpExchange[]; messages: readonly WireMessage[] }[],
): ReplayStep[] {
  const steps: ReplayStep[] = [];
  for (const view of connections) {
    for (const exchange of view.exchanges)
      steps.push({ selection: { conn: view.connection.id, index: exchange.index }, at: exchange.request.firstByteAt, isMessage: true });
    for (const message of view.messages)
      steps.push({ selection: messageSelection(message), at: message.at, isMessage: !TRANSPORT_FRAME_LAYERS.has(message.layer) });
  }
  return steps
    .map((step, order) => ({ step, order }))
    .sort((a, b) => a.step.at - b.step.at || a.order - b.order)
    .map(({ step }) => step);
}

export type ReplayMove = 'next' | 'previous' | 'next-message' | 'previous-message' | 'first' | 'last';

/** Where a move from `current` (-1: none selected) lands; `current` when there is nowhere to go. */
export function moveStep(steps: readonly ReplayStep[], current: number, move: ReplayMove): number {
  if (steps.length === 0) return -1;
  switch (move) {
    case 'first':
      return 0;
    case 'last':
      return steps.length - 1;
    case 'next':
      return current < 0 ? 0 : Math.min(current + 1, steps.length - 1);
    case 'previous':
      return current < 0 ? steps.length - 1 : Math.max(current - 1, 0);
    case 'next-message': {
      for (let i = current + 1; i < steps.length; i++) if (steps[i]!.isMessage) return i;
      return current;
    }
    case 'previous-message': {
      for (let i = (current < 0 ? steps.length : current) - 1; i >= 0; i--) if (steps[i]!.isMessage) return i;
      return current;
    }
  }
}

/** The move a key asks for: `.` `,` a frame, `>` `<` a message, Home and End. */
export function moveOfKey(key: string): ReplayMove | null {
  return ({ '.': 'next', ',': 'previous', '>': 'next-message', '<': 'previous-message', Home: 'first', End: 'last' } as const)[key] ?? null;
}

export function stepFragment(selection: Selection): string {
  if ('index' in selection) return `#insp=${selection.conn}.x${selection.index}`;
  if ('message' in selection) return `#insp=${selection.conn}.${selection.message.dir}.${selection.message.layer}.${selection.message.start}`;
  return `#insp=${selection.conn}.n${selection.note}`;
}

/**
 * What a fragment points at: a step, or — a link written before messages were named by where
 * they sit (`#insp=c2.m14`) — the message that is 14th on its connection once it is there.
 */
export type FragmentTarget = { selection: Selection } | { conn: string; messageIndex: number };

export function targetOfFragment(hash: string): FragmentTarget | null {
  const message = /^#insp=([A-Za-z0-9_-]+)\.(in|out)\.([a-z0-9-]{1,40})\.(\d{1,12})$/.exec(hash);
  if (message) {
    const [, conn, dir, layer, start] = message as unknown as [string, string, 'in' | 'out', string, string];
    return { selection: { conn, message: { layer, dir, start: Number(start) } } };
  }
  const match = /^#insp=([A-Za-z0-9_-]+)\.([xmn])(\d{1,9})$/.exec(hash);
  if (!match) return null;
  const [, conn, kind, number] = match as unknown as [string, string, 'x' | 'm' | 'n', string];
  const index = Number(number);
  if (kind === 'm') return { conn, messageIndex: index };
  return { selection: kind === 'x' ? { conn, index } : { conn, note: index } };
}

export function selectionOfFragment(hash: string): Selection | null {
  const target = targetOfFragment(hash);
  return target && 'selection' in target ? target.selection : null;
}
