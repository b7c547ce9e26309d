import { describe, expect, it } from 'vitest';
import { parseChoice } from './remembered-choice.ts';

describe('parseChoice', () => {
  it('keeps a remembered choice', () => {
    expect(parseChoice(JSON.stringify({ protocol: 'grpc', target: '[::1]:50051' }))).toEqual({ protocol: 'grpc', target: '[::1]:50051' });
  });

  it('falls back to REST on 127.0.0.1:8000 for anything missing or wrong', () => {
    expect(parseChoice(null)).toEqual({ protocol: 'rest', target: '127.0.0.1:8000' });
    expect(parseChoice('{not json')).toEqual({ protocol: 'rest', target: '127.0.0.1:8000' });
    expect(parseChoice('null')).toEqual({ protocol: 'rest', target: '127.0.0.1:8000' });
    expect(parseChoice(JSON.stringify({ protocol: 'ftp', target: '  ' }))).toEqual({ protocol: 'rest', target: '127.0.0.1:8000' });
    expect(parseChoice(JSON.stringify({ protocol: 'sse', target: 42 }))).toEqual({ protocol: 'sse', target: '127.0.0.1:8000' });
  });
});
