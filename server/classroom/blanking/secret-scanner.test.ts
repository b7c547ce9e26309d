import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newCurlToken, newSessionId } from '../../session/session-id.ts';
import { longestPrefixAtEnd, SecretBook, SecretScanner, spellingsOf } from './secret-scanner.ts';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const bytes = (value: string) => Buffer.from(value, 'latin1');

/** The stream cut at every point into two chunks, each run through a fresh scanner. */
function everySplit(whole: string, secrets: string[]): string[] {
  const outputs: string[] = [];
  for (let at = 0; at <= whole.length; at += 1) {
    const scanner = new SecretScanner(new SecretBook(secrets));
    outputs.push(text(scanner.apply(bytes(whole.slice(0, at)))) + text(scanner.apply(bytes(whole.slice(at)))));
  }
  return outputs;
}

describe('SecretScanner', () => {
  const session = newSessionId();
  const curl = newCurlToken(session).token;

  it('blanks the session id, any curl token and every secret JSON member of GET /_wirelab/session, keeping the length', () => {
    const body = JSON.stringify({ session, sandbox: session, recording: true, curlToken: curl, curlTokenExpiresAt: 1 });
    const out = text(new SecretScanner(new SecretBook([session])).apply(bytes(body)));
    expect(out).toHaveLength(body.length);
    expect(out).not.toContain(session);
    expect(out).not.toContain(curl.slice(5));
    expect(out).toContain('"recording":true');
    expect(out).toContain('"curlTokenExpiresAt":1');
  });

  it("blanks a curl token of another session and a class member's token, which it was not told of", () => {
    const other = newCurlToken(newSessionId()).token;
    const member = randomBytes(24).toString('base64url');
    const body = `{"memberToken": "${member}", "rejoinCode":"ABC123"} x-wirelab-sandbox: ${other}`;
    const out = text(new SecretScanner(new SecretBook([])).apply(bytes(body)));
    expect(out).not.toContain(member);
    expect(out).not.toContain('ABC123');
    expect(out).not.toContain(other.slice(5));
  });

  it('finds a secret however the stream is cut into chunks', () => {
    const member = randomBytes(24).toString('base64url');
    const whole = `HTTP/1.1 200 OK\r\n\r\n{"session":"${session}","curlToken":"${curl}","memberToken":"${member}"} id=${session};`;
    for (const out of everySplit(whole, [session])) {
      expect(out).toHaveLength(whole.length);
      for (const secret of [session, curl.slice(5), member]) {
        // no run of the secret longer than the few characters a cut may leave before it is known
        for (let from = 0; from + 6 <= secret.length; from += 1) expect(out).not.toContain(secret.slice(from, from + 6) + secret.slice(from + 6, from + 7));
      }
    }
  });

  it('finds an exact secret inside base64 and base64url text at every alignment', () => {
    for (const lead of ['', 'a', 'ab', 'abc']) {
      const encoded = Buffer.from(`user:${lead}${session}:tail`).toString('base64');
      const out = text(new SecretScanner(new SecretBook([session])).apply(bytes(`Authorization: Basic ${encoded}`)));
      const decoded = Buffer.from(out.slice('Authorization: Basic '.length).replaceAll('*', 'A'), 'base64').toString('latin1');
      expect(decoded).not.toContain(session.slice(4, 40));
      const url = Buffer.from(`${lead}${session}`).toString('base64url');
      expect(text(new SecretScanner(new SecretBook([session])).apply(bytes(url)))).not.toContain(url.slice(4, 40));
    }
    expect(spellingsOf(session).length).toBeGreaterThan(3);
  });

  it('returns the very same bytes when there is nothing to blank', () => {
    const plain = bytes('{"id":1,"name":"Ada","email":"ada@example.com"}');
    expect(new SecretScanner(new SecretBook([session])).apply(plain)).toBe(plain);
  });
});

describe('longestPrefixAtEnd', () => {
  /** the definition, with substrings: the longest proper prefix of the secret the text ends with */
  function byDefinition(text: string, secret: string): number {
    for (let length = Math.min(secret.length - 1, text.length); length > 0; length -= 1) {
      if (text.endsWith(secret.slice(0, length))) return length;
    }
    return 0;
  }

  it('agrees with its definition on texts made of few letters (many partial overlaps)', () => {
    const letters = 'aab';
    const pick = (length: number) => Array.from({ length }, () => letters[Math.floor(Math.random() * letters.length)]).join('');
    for (let trial = 0; trial < 5_000; trial += 1) {
      const text = pick(Math.floor(Math.random() * 12));
      const secret = pick(1 + Math.floor(Math.random() * 8));
      expect(longestPrefixAtEnd(text, secret), `${JSON.stringify(text)} ends in a prefix of ${JSON.stringify(secret)}`).toBe(byDefinition(text, secret));
    }
  });

  it('never counts the whole secret (a whole one is found by the search) and finds the longest of several', () => {
    expect(longestPrefixAtEnd('xxabcd', 'abcd')).toBe(0);
    expect(longestPrefixAtEnd('xxabc', 'abcd')).toBe(3);
    expect(longestPrefixAtEnd('aaaa', 'aaab')).toBe(3);
    expect(longestPrefixAtEnd('', 'abcd')).toBe(0);
  });
});
