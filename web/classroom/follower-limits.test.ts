import { describe, expect, it } from 'vitest';
import { streamingCallsNotRelayedOn } from './follower-limits.ts';
import { classroomStrings } from './strings.ts';

describe('what following cannot show', () => {
  it('names the gRPC lesson in both languages, and no other page', () => {
    expect(streamingCallsNotRelayedOn('/en/grpc')).toBe(true);
    expect(streamingCallsNotRelayedOn('/ru/grpc')).toBe(true);
    expect(streamingCallsNotRelayedOn('/ru/grpc-in-the-browser')).toBe(false);
    expect(streamingCallsNotRelayedOn('/en/rest')).toBe(false);
  });

  it('says why in both languages', () => {
    expect(classroomStrings.en.streamingNotRelayed).toContain('HTTP/2');
    expect(classroomStrings.ru.streamingNotRelayed).toContain('HTTP/2');
  });
});
