// Close status codes (RFC 6455 §7.4 and the IANA "WebSocket Close Code Number Registry").

const NAMED: Record<number, string> = {
  1000: 'normal closure',
  1001: 'going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1005: 'no status received',
  1006: 'abnormal closure',
  1007: 'invalid frame payload data',
  1008: 'policy violation',
  1009: 'message too big',
  1010: 'mandatory extension',
  1011: 'internal error',
  1012: 'service restart',
  1013: 'try again later',
  1014: 'bad gateway',
  1015: 'TLS handshake',
  3000: 'unauthorized',
  3003: 'forbidden',
  3008: 'timeout',
};

/** A stable English name for a close code: registered name, or the range it falls in. */
export function closeCodeName(code: number): string {
  if (NAMED[code]) return NAMED[code];
  if (code >= 4000 && code <= 4999) return 'private use (the application defines it)';
  if (code >= 3000 && code <= 3999) return 'registered for libraries and frameworks';
  if (code >= 1000 && code <= 2999) return 'reserved for the protocol';
  return 'not a close code';
}

/**
 * Whether an endpoint may send this code in a Close frame: 1005, 1006 and 1015 only report
 * what happened locally and must never be sent; 1016–2999 are reserved; below 1000 and from
 * 5000 nothing is defined (RFC 6455 §7.4.2).
 */
export function isSendableCloseCode(code: number): boolean {
  if (code >= 3000 && code <= 4999) return true;
  return code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006;
}
