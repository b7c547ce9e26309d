import { describe, expect, it } from 'vitest';
import { resultsToCsv } from './results-csv.ts';
import type { ProtocolResult } from './lab-types.ts';

describe('resultsToCsv', () => {
  it('writes a header and one line per row, quoting what needs it', () => {
    const base: ProtocolResult = {
      protocol: 'rest',
      job: 'list',
      size: 100,
      runs: [],
      bytesUp: 600,
      bytesDown: 26000,
      payloadUp: 0,
      payloadDown: 25000,
      opened: 0,
      roundTrips: 1,
      versions: ['HTTP/1.1'],
      ttfb: { median: 2, min: 1, max: 3, count: 3 },
      total: { median: 4, min: 3, max: 9, count: 3 },
      latency: null,
      idleBytesPerMinute: null,
    };
    const failed: ProtocolResult = { ...base, protocol: 'graphql-get', job: 'create', failure: { en: 'no, "GET"', ru: 'нет' } };
    const batched: ProtocolResult = { ...base, protocol: 'graphql-post', job: 'by-id', size: 1, byIdCount: 3, graphqlBatching: true, roundTrips: 1 };
    const oneByOne: ProtocolResult = { ...batched, graphqlBatching: false, roundTrips: 3 };
    const lines = resultsToCsv([base, failed, batched, oneByOne]).split('\r\n');
    expect(lines[0]).toMatch(/^job,users,protocol,graphql_batching,wire,runs,bytes_up,/);
    expect(lines[1]).toBe('list,100,rest,,HTTP/1.1,0,600,0,26000,25000,0,1,2,1,3,4,3,9,,,,,');
    expect(lines[2].endsWith(',"no, ""GET"""')).toBe(true);
    expect(lines[3]).toBe('by-id,3,graphql-post,on,HTTP/1.1,0,600,0,26000,25000,0,1,2,1,3,4,3,9,,,,,');
    expect(lines[4]).toBe('by-id,3,graphql-post,off,HTTP/1.1,0,600,0,26000,25000,0,3,2,1,3,4,3,9,,,,,');
    expect(lines[5]).toBe('');
  });
});
