import type { ExchangeMatch, MessageMatch } from '../../contracts/exercise-checks/check-types.ts';
import type { Proof } from './matrix-data.ts';

/**
 * The interview quiz: the seminar notes' interview questions at three levels (seeds 003), as
 * data. The lessons' own "Interview questions" sections join them at run time
 * (lesson-interview.ts). The words are in quiz-text.en.ts / quiz-text.ru.ts, keyed by id.
 */

export const QUIZ_LEVELS = ['basic', 'intermediate', 'advanced'] as const;
export type QuizLevel = (typeof QUIZ_LEVELS)[number];

/** A cell the student runs on the quiz page to produce the traffic a "find it in the bytes" question asks about. */
export interface QuizCell {
  kind: 'http' | 'websocket' | 'grpc';
  text: string;
}

/** What the student must point at in the inspector: a decoded message, or an HTTP exchange. */
export type BytesTarget = { message: MessageMatch } | { exchange: ExchangeMatch };

export type QuizQuestion = {
  id: string;
  level: QuizLevel;
  /** the lesson section (or lab page) that teaches the answer */
  teach: Proof;
} & (
  | { kind: 'choice'; options: string[]; correct: string[] }
  /** `items` in the right order; the page shows them shuffled */
  | { kind: 'order'; items: string[] }
  | { kind: 'bytes'; cell: QuizCell; target: BytesTarget }
  | { kind: 'open' }
);

export const QUIZ_QUESTIONS: QuizQuestion[] = [
  // Basic
  {
    id: 'rest-vs-graphql',
    level: 'basic',
    teach: { lesson: 'graphql', section: 'schema' },
    kind: 'choice',
    options: ['fields', 'binary', 'http2', 'browser-cache'],
    correct: ['fields'],
  },
  {
    id: 'graphql-caching',
    level: 'basic',
    teach: { lesson: 'graphql', section: 'caching' },
    kind: 'choice',
    options: ['one-post-url', 'no-etag-possible', 'json-uncacheable', 'websocket-only'],
    correct: ['one-post-url'],
  },
  {
    id: 'websocket-when',
    level: 'basic',
    teach: { lesson: 'websockets', section: 'decision' },
    kind: 'choice',
    options: ['chat', 'game', 'catalogue', 'public-crud', 'collaboration'],
    correct: ['chat', 'game', 'collaboration'],
  },
  {
    id: 'sse-vs-long-polling',
    level: 'basic',
    teach: { lesson: 'long-polling', section: 'cost' },
    kind: 'choice',
    options: ['request-per-event', 'tcp-per-event', 'upgrade', 'nothing'],
    correct: ['request-per-event'],
  },
  {
    id: 'find-masked-frame',
    level: 'basic',
    teach: { lesson: 'websockets', section: 'masking' },
    kind: 'bytes',
    cell: { kind: 'websocket', text: '{ "url": "/ws/echo", "presets": [{ "text": "hello" }] }\n' },
    target: { message: { layer: 'ws-frame', dir: 'in', fields: { masked: true } } },
  },
  {
    id: 'find-etag',
    level: 'basic',
    teach: { lesson: 'rest', section: 'etag' },
    kind: 'bytes',
    cell: { kind: 'http', text: 'GET /api/v1/users/1\nAccept: application/json\n' },
    target: { exchange: { request: { method: 'GET', path: '^/api/v1/users/\\d+$' }, response: { status: 200, headers: { etag: true } } } },
  },
  // Intermediate
  {
    id: 'social-platform',
    level: 'intermediate',
    teach: { lesson: 'choosing-a-protocol', section: 'one-product' },
    kind: 'open',
  },
  {
    id: 'notification-path',
    level: 'intermediate',
    teach: { lesson: 'choosing-a-protocol', section: 'queues' },
    kind: 'order',
    items: ['action', 'api', 'queue', 'notifier', 'push'],
  },
  {
    id: 'notifications',
    level: 'intermediate',
    teach: { lesson: 'choosing-a-protocol', section: 'queues' },
    kind: 'open',
  },
  {
    id: 'offline-user',
    level: 'intermediate',
    teach: { lesson: 'choosing-a-protocol', section: 'queues' },
    kind: 'choice',
    options: ['broker', 'websocket', 'browser-cache', 'http2'],
    correct: ['broker'],
  },
  {
    id: 'socketio-upgrade',
    level: 'intermediate',
    teach: { lesson: 'socket-io', section: 'upgrade' },
    kind: 'order',
    items: ['open', 'connect', 'probe', 'probe-answer', 'upgrade'],
  },
  {
    id: 'find-grpc-web-trailers',
    level: 'intermediate',
    teach: { lesson: 'grpc-in-the-browser', section: 'grpc-web' },
    kind: 'bytes',
    cell: { kind: 'grpc', text: '{\n  "method": "wirelab.users.v1.UserService/GetUser",\n  "protocol": "grpc-web",\n  "request": { "id": 1 }\n}\n' },
    target: { message: { layer: 'grpc-status', fields: { protocol: 'grpc-web' } } },
  },
  // Advanced
  {
    id: 'multiplayer-game',
    level: 'advanced',
    teach: { lesson: 'websockets', section: 'lengths' },
    kind: 'open',
  },
  {
    id: 'game-moves',
    level: 'advanced',
    teach: { lesson: 'websockets', section: 'decision' },
    kind: 'choice',
    options: ['websocket', 'rest', 'sse', 'graphql-query'],
    correct: ['websocket'],
  },
  {
    id: 'versioning-microservices',
    level: 'advanced',
    teach: { lesson: 'rest', section: 'versioning' },
    kind: 'open',
  },
  {
    id: 'remove-field',
    level: 'advanced',
    teach: { lesson: 'protocol-buffers', section: 'compatibility' },
    kind: 'choice',
    options: ['reserve', 'renumber', 'reuse', 'nothing'],
    correct: ['reserve'],
  },
];

/** The text of one question in one language. */
export interface QuizQuestionText {
  prompt: string;
  /** choice: option id → its text */
  options?: Record<string, string>;
  /** order: item id → its text */
  items?: Record<string, string>;
  /** open: the model answer, shown after an attempt; choice and order: why the answer is right */
  answer: string;
}

export type QuizText = Record<string, QuizQuestionText>;
