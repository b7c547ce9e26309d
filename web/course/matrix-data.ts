/**
 * The decision matrix (issue 11, after the seminar notes' "Protocol selection guide"): which
 * protocol fits which job, each verdict backed by the lesson section or lab page that shows it
 * on real traffic. Language-neutral: the sentences live in matrix-text.en.ts / matrix-text.ru.ts.
 */

export const USE_CASES = ['crud', 'chat', 'live-updates', 'mobile', 'microservices', 'public-api', 'file-upload', 'gaming', 'durable-events'] as const;
export type UseCase = (typeof USE_CASES)[number];

/** `queue`: a broker between the two sides — MQTT here, Kafka or RabbitMQ elsewhere. */
export const PROTOCOLS = ['rest', 'graphql', 'grpc', 'websocket', 'sse', 'long-polling', 'queue'] as const;
export type ProtocolId = (typeof PROTOCOLS)[number];

/** From the best fit down to "not what it is for". */
export const VERDICTS = ['best', 'good', 'possible', 'poor', 'no'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * Where the verdict is shown: a lesson's section (`lesson` is the slug, `section` a heading id
 * that both languages share), or the comparison lab's page (`/<lang>/compare`).
 */
export type Proof = { lesson: string; section: string } | { lab: 'compare' };

export interface MatrixCell {
  verdict: Verdict;
  proof: Proof;
}

const at = (lesson: string, section: string): Proof => ({ lesson, section });
const LAB: Proof = { lab: 'compare' };
const cell = (verdict: Verdict, proof: Proof): MatrixCell => ({ verdict, proof });

export const MATRIX: Record<UseCase, Record<ProtocolId, MatrixCell>> = {
  crud: {
    rest: cell('best', at('rest', 'methods')),
    graphql: cell('good', at('graphql', 'caching')),
    grpc: cell('good', at('grpc', 'first-call')),
    websocket: cell('no', at('websockets', 'decision')),
    sse: cell('no', at('server-sent-events', 'decision')),
    'long-polling': cell('no', at('long-polling', 'decision')),
    queue: cell('poor', at('message-queues', 'when-rest')),
  },
  chat: {
    rest: cell('poor', at('long-polling', 'short-polling')),
    graphql: cell('possible', at('graphql', 'subscriptions')),
    grpc: cell('good', at('grpc-in-the-browser', 'runner')),
    websocket: cell('best', at('websockets', 'frames')),
    sse: cell('poor', at('server-sent-events', 'decision')),
    'long-polling': cell('possible', at('long-polling', 'cost')),
    queue: cell('good', at('mqtt', 'topics')),
  },
  'live-updates': {
    rest: cell('poor', at('long-polling', 'short-polling')),
    graphql: cell('good', at('graphql', 'subscriptions')),
    grpc: cell('good', at('grpc', 'call-kinds')),
    websocket: cell('best', at('websockets', 'decision')),
    sse: cell('best', at('server-sent-events', 'reconnect')),
    'long-polling': cell('good', LAB),
    queue: cell('good', at('mqtt', 'domain-events')),
  },
  mobile: {
    rest: cell('good', at('rest', 'fetching')),
    graphql: cell('good', at('graphql', 'schema')),
    grpc: cell('good', LAB),
    websocket: cell('possible', at('websockets', 'ping-pong')),
    sse: cell('possible', at('server-sent-events', 'reconnect')),
    'long-polling': cell('poor', at('long-polling', 'cost')),
    queue: cell('good', at('mqtt', 'sessions')),
  },
  microservices: {
    rest: cell('good', at('rest', 'pros-cons')),
    graphql: cell('poor', at('graphql', 'n-plus-one')),
    grpc: cell('best', at('grpc', 'when')),
    websocket: cell('poor', at('websockets', 'scaling')),
    sse: cell('no', at('server-sent-events', 'decision')),
    'long-polling': cell('no', at('long-polling', 'decision')),
    queue: cell('best', at('message-queues', 'notification-architecture')),
  },
  'public-api': {
    rest: cell('best', at('rest', 'ideal-for')),
    graphql: cell('good', at('graphql', 'limits')),
    grpc: cell('possible', at('rest-gateway', 'when')),
    websocket: cell('poor', at('websockets', 'subprotocols')),
    sse: cell('possible', at('server-sent-events', 'how-it-works')),
    'long-polling': cell('possible', at('long-polling', 'still-used')),
    queue: cell('poor', at('message-queues', 'when-rest')),
  },
  'file-upload': {
    rest: cell('good', at('how-a-request-travels', 'body')),
    graphql: cell('poor', at('graphql', 'when')),
    grpc: cell('good', at('grpc', 'call-kinds')),
    websocket: cell('possible', at('websockets', 'fragmentation')),
    sse: cell('no', at('server-sent-events', 'decision')),
    'long-polling': cell('no', at('long-polling', 'decision')),
    queue: cell('poor', at('message-queues', 'when-rest')),
  },
  gaming: {
    rest: cell('no', LAB),
    graphql: cell('no', at('graphql', 'when')),
    grpc: cell('good', at('grpc-in-the-browser', 'browser-limits')),
    websocket: cell('best', at('websockets', 'lengths')),
    sse: cell('no', at('server-sent-events', 'decision')),
    'long-polling': cell('no', at('long-polling', 'cost')),
    queue: cell('possible', at('mqtt', 'qos')),
  },
  'durable-events': {
    rest: cell('poor', at('rest', 'idempotency')),
    graphql: cell('no', at('graphql', 'subscriptions')),
    grpc: cell('poor', at('grpc', 'cancellation')),
    websocket: cell('no', at('websockets', 'close')),
    sse: cell('possible', at('server-sent-events', 'reconnect')),
    'long-polling': cell('possible', at('long-polling', 'cursor')),
    queue: cell('best', at('message-queues', 'durability')),
  },
};

/** The address a proof points at, in one language: `/en/rest#methods` or `/en/compare`. */
export function proofHref(proof: Proof, lang: string): string {
  return 'lab' in proof ? `/${lang}/${proof.lab}` : `/${lang}/${proof.lesson}#${proof.section}`;
}

/** Every proof the matrix and the questionnaire name (for the link test). */
export function matrixProofs(): Proof[] {
  return USE_CASES.flatMap((useCase) => PROTOCOLS.map((protocol) => MATRIX[useCase][protocol].proof));
}

/** One language's words for the matrix: the same keys in every language (a test checks). */
export interface MatrixText {
  useCases: Record<UseCase, string>;
  protocols: Record<ProtocolId, string>;
  verdicts: Record<Verdict, string>;
  /** one sentence per cell: why this verdict */
  reasons: Record<UseCase, Record<ProtocolId, string>>;
}
