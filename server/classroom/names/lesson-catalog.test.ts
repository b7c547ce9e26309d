import { describe, expect, it } from 'vitest';
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
});
