import type { ProtocolId, Proof } from './matrix-data.ts';

/**
 * "Choose for me": five questions about a job, and a recommendation with the reasons behind it.
 * Language-neutral; the words are in matrix-text.en.ts / matrix-text.ru.ts.
 */
export const QUESTIONS = {
  clients: ['browsers', 'mobile', 'services'],
  sender: ['client', 'server', 'both'],
  frequency: ['rare', 'often'],
  durable: ['yes', 'no'],
  audience: ['public', 'internal'],
} as const;

export type QuestionId = keyof typeof QUESTIONS;
export const QUESTION_IDS = Object.keys(QUESTIONS) as QuestionId[];
export type Answers = { [Q in QuestionId]: (typeof QUESTIONS)[Q][number] };

/** Each reason a recommendation can give, and where the course shows it on real traffic. */
export const REASONS = {
  'queue-survives': { lesson: 'message-queues', section: 'durability' },
  'queue-edge': { lesson: 'choosing-a-protocol', section: 'queues' },
  'queue-public': { lesson: 'server-sent-events', section: 'reconnect' },
  'request-response': { lesson: 'rest', section: 'methods' },
  'public-barrier': { lesson: 'rest', section: 'ideal-for' },
  'contract-binary': { lesson: 'grpc', section: 'when' },
  'grpc-browser': { lesson: 'grpc-in-the-browser', section: 'side-by-side' },
  gateway: { lesson: 'rest-gateway', section: 'when' },
  'one-round-trip': { lesson: 'graphql', section: 'schema' },
  'server-push': { lesson: 'server-sent-events', section: 'how-it-works' },
  'sse-replay': { lesson: 'server-sent-events', section: 'reconnect' },
  'rare-long-polling': { lesson: 'long-polling', section: 'cost' },
  'two-way-frames': { lesson: 'websockets', section: 'frames' },
  'frequent-cheap': { lab: 'compare' },
  'server-stream': { lesson: 'grpc', section: 'call-kinds' },
  'bidi-stream': { lesson: 'grpc', section: 'call-kinds' },
  'mqtt-mobile': { lesson: 'mqtt', section: 'sessions' },
} satisfies Record<string, Proof>;

export type ReasonId = keyof typeof REASONS;

export interface Recommendation {
  protocol: ProtocolId;
  /** what else would do, best first */
  alternatives: ProtocolId[];
  reasons: ReasonId[];
}

/** The course's answer to one set of answers (the lesson "Choosing a protocol" argues each rule). */
export function recommend(answers: Answers): Recommendation {
  const { clients, sender, frequency, durable, audience } = answers;

  // A consumer that may be down outranks everything else: only a broker keeps the messages.
  if (durable === 'yes') {
    const reasons: ReasonId[] = ['queue-survives'];
    let alternatives: ProtocolId[] = ['grpc', 'rest'];
    if (clients === 'browsers') {
      reasons.push('queue-edge', 'sse-replay');
      alternatives = ['sse', 'websocket'];
    } else if (clients === 'mobile') {
      reasons.push('mqtt-mobile');
      alternatives = ['sse'];
    }
    if (audience === 'public') {
      reasons.push('queue-public');
      alternatives = ['sse', ...alternatives.filter((protocol) => protocol !== 'sse')];
    }
    return { protocol: 'queue', alternatives, reasons };
  }

  if (sender === 'client') {
    if (frequency === 'often' && clients !== 'services') {
      return { protocol: 'websocket', alternatives: ['rest'], reasons: ['frequent-cheap', 'two-way-frames'] };
    }
    if (clients === 'services') {
      return audience === 'public'
        ? { protocol: 'rest', alternatives: ['grpc'], reasons: ['public-barrier', 'request-response', 'gateway'] }
        : { protocol: 'grpc', alternatives: ['rest', 'queue'], reasons: ['contract-binary'] };
    }
    if (audience === 'public') return { protocol: 'rest', alternatives: ['graphql'], reasons: ['public-barrier', 'request-response'] };
    if (clients === 'mobile') return { protocol: 'graphql', alternatives: ['rest', 'grpc'], reasons: ['one-round-trip'] };
    return { protocol: 'rest', alternatives: ['graphql', 'grpc'], reasons: ['request-response', 'grpc-browser'] };
  }

  if (sender === 'server') {
    if (clients === 'services') return { protocol: 'grpc', alternatives: ['queue'], reasons: ['server-stream', 'contract-binary'] };
    if (clients === 'mobile' && frequency === 'often') return { protocol: 'queue', alternatives: ['sse', 'websocket'], reasons: ['mqtt-mobile'] };
    const reasons: ReasonId[] = ['server-push', 'sse-replay'];
    if (frequency === 'rare') reasons.push('rare-long-polling');
    return { protocol: 'sse', alternatives: frequency === 'rare' ? ['long-polling', 'websocket'] : ['websocket', 'long-polling'], reasons };
  }

  // both sides send
  if (clients === 'services') return { protocol: 'grpc', alternatives: ['queue'], reasons: ['bidi-stream', 'contract-binary'] };
  if (clients === 'mobile') return { protocol: 'websocket', alternatives: ['queue'], reasons: ['two-way-frames', 'mqtt-mobile'] };
  return frequency === 'often'
    ? { protocol: 'websocket', alternatives: ['sse'], reasons: ['two-way-frames', 'frequent-cheap'] }
    : { protocol: 'websocket', alternatives: ['sse', 'long-polling'], reasons: ['two-way-frames', 'server-push'] };
}

/** One language's words for the questionnaire (the same keys in every language). */
export interface ChooseText {
  questions: { [Q in QuestionId]: { label: string; options: Record<Answers[Q], string> } };
  reasons: Record<ReasonId, string>;
}
