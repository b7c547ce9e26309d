// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/; W3C draft "HTTP Archive"), as Chromium,
// DevTools and Firefox save it, with Chromium's `_webSocketMessages` extension. A HAR holds what
// the browser's network layer reported — headers and bodies as text — not the bytes on the wire:
// no frames, no offsets, no TCP. The entries say so (the inspector shows them as such), and
// nothing here invents the bytes. Never throws: a file that is not a HAR names what is missing.

export interface HarHeader {
  name: string;
  value: string;
}

export interface HarBody {
  mimeType?: string;
  text?: string;
  /** "base64" when the browser saved a binary body so */
  encoding?: string;
  /** the body's size as the browser reported it (-1 or absent: unknown) */
  size?: number;
}

export interface HarWebSocketMessage {
  /** `in`: sent by the browser; `out`: received */
  dir: 'in' | 'out';
  /** ms since the Unix epoch */
  t: number;
  /** 1 text, 2 binary (RFC 6455 §5.2) */
  opcode: number;
  data: string;
}

export interface HarEntry {
  index: number;
  /** ms since the Unix epoch */
  startedAt: number;
  /** ms the browser says the whole exchange took */
  time?: number;
  method: string;
  url: string;
  httpVersion: string;
  requestHeaders: HarHeader[];
  requestBody?: HarBody;
  status: number;
  statusText: string;
  responseHttpVersion: string;
  responseHeaders: HarHeader[];
  responseBody?: HarBody;
  webSocketMessages: HarWebSocketMessage[];
  serverAddress?: string;
}

export interface HarFile {
  creator: string;
  entries: HarEntry[];
  /** entries left out because they lack a request or a response */
  skippedEntries: number;
}

export type HarProblem = { code: 'har-not-json'; detail: string } | { code: 'har-no-entries' };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));
const number = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function headersOf(value: unknown): HarHeader[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((header) => ({ name: text(header.name), value: text(header.value) }));
}

function bodyOf(value: unknown, textKey: 'text'): HarBody | undefined {
  if (!isObject(value)) return undefined;
  const body: HarBody = {};
  if (typeof value.mimeType === 'string') body.mimeType = value.mimeType;
  if (typeof value[textKey] === 'string') body.text = value[textKey] as string;
  if (typeof value.encoding === 'string') body.encoding = value.encoding;
  const size = number(value.size);
  if (size !== undefined) body.size = size;
  return body;
}

function webSocketMessagesOf(value: unknown): HarWebSocketMessage[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((message) => ({
    dir: message.type === 'send' ? 'in' : 'out',
    t: (number(message.time) ?? 0) * 1000,
    opcode: number(message.opcode) ?? 1,
    data: text(message.data),
  }));
}

function entryOf(raw: unknown, index: number): HarEntry | null {
  if (!isObject(raw) || !isObject(raw.request) || !isObject(raw.response)) return null;
  const { request, response } = raw;
  const started = Date.parse(text(raw.startedDateTime));
  const time = number(raw.time);
  const requestBody = bodyOf(request.postData, 'text');
  const responseBody = bodyOf(response.content, 'text');
  return {
    index,
    startedAt: Number.isNaN(started) ? 0 : started,
    ...(time !== undefined ? { time } : {}),
    method: text(request.method),
    url: text(request.url),
    httpVersion: text(request.httpVersion),
    requestHeaders: headersOf(request.headers),
    ...(requestBody ? { requestBody } : {}),
    status: number(response.status) ?? 0,
    statusText: text(response.statusText),
    responseHttpVersion: text(response.httpVersion),
    responseHeaders: headersOf(response.headers),
    ...(responseBody ? { responseBody } : {}),
    webSocketMessages: webSocketMessagesOf(raw._webSocketMessages),
    ...(typeof raw.serverIPAddress === 'string' ? { serverAddress: raw.serverIPAddress } : {}),
  };
}

/** A HAR file's text into its entries, oldest first, or what is wrong with it. */
export function readHar(source: string): HarFile | { problem: HarProblem } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    return { problem: { code: 'har-not-json', detail: error instanceof Error ? error.message : String(error) } };
  }
  const log = isObject(parsed) ? parsed.log : undefined;
  if (!isObject(log) || !Array.isArray(log.entries)) return { problem: { code: 'har-no-entries' } };
  const entries = log.entries.map(entryOf);
  const kept = entries.filter((entry): entry is HarEntry => entry !== null);
  kept.sort((a, b) => a.startedAt - b.startedAt);
  kept.forEach((entry, index) => (entry.index = index));
  const creator = isObject(log.creator) ? `${text(log.creator.name)} ${text(log.creator.version)}`.trim() : '';
  return { creator, entries: kept, skippedEntries: entries.length - kept.length };
}
