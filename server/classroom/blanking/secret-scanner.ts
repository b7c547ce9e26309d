const STAR = 0x2a;

/**
 * JSON members whose string value is a secret of whoever's page carries it: what
 * `GET /_wirelab/session` answers (`session`, `sandbox`, `curlToken`), what joining a class
 * answers (`memberToken`, `rejoinCode`), and the teacher's key should a page ever carry it.
 */
const SECRET_MEMBERS = ['curlToken', 'memberToken', 'rejoinCode', 'session', 'sandbox', 'teacherKey'];
const MEMBER_VALUE = String.raw`"(?:${SECRET_MEMBERS.join('|')})"\s*:\s*"`;
/** a secret member's value (group 1); longer values are no token of ours and stay */
const SECRET_MEMBER = new RegExp(`${MEMBER_VALUE}([^"\\\\]{1,200})"`, 'g');
/** a secret member whose value the chunk ends in the middle of (group 1: its start) */
const SECRET_MEMBER_CUT = new RegExp(`${MEMBER_VALUE}([^"\\\\]{0,200})$`);
/** a curl token of any session (server/session/session-id.ts: `curl.` + 64 base64url) */
const CURL_TOKEN = /curl\.[A-Za-z0-9_-]{64}/g;
const CURL_TOKEN_CUT = /curl\.[A-Za-z0-9_-]{0,63}$/;
const CURL_PREFIX = 'curl.'.length;
/** bytes of the previous chunk kept to find a secret that straddles two chunks */
const CARRY = 280;
/** a chunk that ends in at least this much of an exact secret has that much blanked */
const MIN_CUT_PREFIX = 4;

/**
 * The spellings of one secret a page might send or receive: as it is, and inside base64 or
 * base64url text at each of the three alignments (the characters that depend on the secret's
 * bytes alone), so a secret the page encoded (HTTP Basic, gRPC-Web text, a data URL) is found too.
 */
export function spellingsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'latin1');
  const spellings = new Set([secret]);
  for (let lead = 0; lead < 3; lead += 1) {
    const encoded = Buffer.concat([Buffer.alloc(lead), bytes]).toString('base64');
    const first = Math.ceil((8 * lead) / 6);
    const last = Math.floor((8 * (lead + bytes.length)) / 6) - 1;
    const inner = encoded.slice(first, last + 1);
    if (inner.length >= 8) {
      spellings.add(inner);
      spellings.add(inner.replaceAll('+', '-').replaceAll('/', '_'));
    }
  }
  return [...spellings];
}

/**
 * The exact secrets of one teacher's session: the ones known from the start (the session id,
 * the teacher key) and those learned on the way, from the JSON members that carry secrets (a
 * member token the teacher's page got by joining a class, a curl token): once seen, such a value
 * is blanked wherever else it shows up, in any connection of the relay.
 */
export class SecretBook {
  private readonly secrets = new Set<string>();
  private cached: string[] | null = null;

  constructor(initial: readonly string[]) {
    for (const secret of initial) this.learn(secret);
  }

  learn(secret: string): void {
    if (secret.length < MIN_CUT_PREFIX || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    this.cached = null;
  }

  /** every spelling of every secret (spellingsOf) */
  get spellings(): readonly string[] {
    this.cached ??= [...this.secrets].flatMap(spellingsOf);
    return this.cached;
  }
}

/**
 * Blanks, byte for byte with `*`, every secret in a stream of chunks: the book's exact secrets in
 * every spelling of `spellingsOf`, any curl token, and the value of any secret JSON member (which
 * the book then learns). Lengths and offsets stay those of the captured bytes, so the
 * follower's decoders read the very frames the connection carried.
 *
 * A secret split between two chunks: the earlier chunk has already gone, so a chunk that ends in
 * what may be the start of a secret has that start blanked at once; the rest is found in the
 * later chunk with the carried tail of the earlier one. A false positive hides a few bytes of
 * the teacher's traffic, never shows a secret.
 */
export class SecretScanner {
  private carry = '';

  constructor(private readonly book: SecretBook) {}

  /** The chunk with its secrets blanked (the same array when there is nothing to blank). */
  apply(data: Uint8Array): Uint8Array {
    const ranges = this.find(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1'));
    if (ranges.length === 0) return data;
    const out = Uint8Array.from(data);
    for (const [from, to] of ranges) out.fill(STAR, from, to);
    return out;
  }

  /** Ranges of this chunk (offsets into it) that hold a secret or may start one. */
  find(text: string): Array<[number, number]> {
    const joined = this.carry + text;
    const shift = this.carry.length;
    const ranges: Array<[number, number]> = [];
    for (const match of joined.matchAll(SECRET_MEMBER)) {
      const valueAt = match.index + match[0].length - 1 - match[1].length;
      addRange(ranges, shift, valueAt, valueAt + match[1].length);
      this.book.learn(match[1]);
    }
    // the `curl.` prefix stays: a follower sees that a token was there, not which
    for (const match of joined.matchAll(CURL_TOKEN)) addRange(ranges, shift, match.index + CURL_PREFIX, match.index + match[0].length);
    for (const spelling of this.book.spellings) {
      // a match wholly inside the carried tail was blanked with the chunk before: start where one could still reach this chunk
      const from = Math.max(0, shift - spelling.length + 1);
      for (let at = joined.indexOf(spelling, from); at !== -1; at = joined.indexOf(spelling, at + 1)) addRange(ranges, shift, at, at + spelling.length);
      const cut = longestPrefixAtEnd(joined, spelling);
      if (cut >= MIN_CUT_PREFIX) addRange(ranges, shift, joined.length - cut, joined.length);
    }
    const curlCut = CURL_TOKEN_CUT.exec(joined);
    if (curlCut) addRange(ranges, shift, curlCut.index + CURL_PREFIX, joined.length);
    const memberCut = SECRET_MEMBER_CUT.exec(joined);
    if (memberCut) addRange(ranges, shift, joined.length - memberCut[1].length, joined.length);
    this.carry = joined.slice(-CARRY);
    return ranges;
  }
}

/**
 * Adds a range of the joined text (the carried tail, `shift` characters, then this chunk) as
 * offsets into this chunk, if any of it falls there. (A function of the module, not a closure
 * made per chunk: the scanner runs on every chunk a watched session captures.)
 */
function addRange(ranges: Array<[number, number]>, shift: number, from: number, to: number): void {
  const start = Math.max(from, shift) - shift;
  const end = to - shift;
  if (end > start) ranges.push([start, end]);
}

/**
 * The length of the longest proper prefix of `secret` that `text` ends with. Compared in place,
 * character by character from each place it could start (earliest first, so the first match is
 * the longest): no substring is made, as this runs for every spelling on every chunk.
 */
export function longestPrefixAtEnd(text: string, secret: string): number {
  const longest = Math.min(secret.length - 1, text.length);
  const first = secret.charCodeAt(0);
  for (let start = text.length - longest; start < text.length; start += 1) {
    if (text.charCodeAt(start) !== first) continue;
    let matched = 1;
    while (start + matched < text.length && text.charCodeAt(start + matched) === secret.charCodeAt(matched)) matched += 1;
    if (start + matched === text.length) return matched;
  }
  return 0;
}
