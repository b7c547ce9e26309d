import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Check } from '../../../contracts/exercise-checks/check-types.ts';
import { LessonCatalog } from './lesson-catalog.ts';

describe('LessonCatalog', () => {
  it('knows the real lessons and exercises by slug, and nothing else', () => {
    const catalog = LessonCatalog.read();
    expect(catalog.size).toBeGreaterThan(10);
    expect(catalog.has('graphql', 'create-post')).toBe(true);
    expect(catalog.has('rest', 'create-201')).toBe(true);
    expect(catalog.has('10-graphql', 'create-post')).toBe(false);
    expect(catalog.has('nope', 'create-post')).toBe(false);
    expect(catalog.has('graphql', 'create-201')).toBe(false);
    expect(catalog.has('graphql', '__proto__')).toBe(false);
  });

  it('knows each lesson’s cells, which a cell the teacher sends must name', () => {
    const catalog = LessonCatalog.read();
    expect(catalog.hasCell('rest', 'create-user')).toBe(true);
    expect(catalog.hasCell('graphql', 'create-post')).toBe(true);
    expect(catalog.hasCell('rest', 'create-post')).toBe(false);
    expect(catalog.hasCell('nope', 'create-user')).toBe(false);
  });

  it('finds a capture question’s file in its lesson’s folder, and no file outside it', () => {
    const ask = { type: 'pick-message' as const, match: { layer: 'h2-frame' } };
    const checks = new Map<string, Check>([
      ['find-trailers', { type: 'capture', file: 'captures/grpc-not-found.pcapng', ask }],
      ['escape', { type: 'capture', file: '../05-rest/captures/x.pcapng', ask }],
      ['absolute', { type: 'capture', file: '/etc/passwd', ask }],
      ['no-capture', { type: 'message', match: { layer: 'h2-frame' } }],
    ]);
    const catalog = new LessonCatalog(new Map([['grpc', checks]]), new Map(), new Map([['grpc', '/course/04-grpc']]));
    expect(catalog.captureFile('grpc', 'find-trailers')).toBe(resolve('/course/04-grpc/captures/grpc-not-found.pcapng'));
    expect(catalog.captureFile('grpc', 'escape')).toBeUndefined();
    expect(catalog.captureFile('grpc', 'absolute')).toBeUndefined();
    expect(catalog.captureFile('grpc', 'no-capture')).toBeUndefined();
    expect(catalog.captureFile('rest', 'find-trailers')).toBeUndefined();
  });
});
