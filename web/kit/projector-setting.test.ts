import { describe, expect, it } from 'vitest';
import { initialProjectorMode, projectorFromUrl } from './projector-setting.ts';

describe('projector mode from the URL and the browser', () => {
  it('reads ?projector= as on, off or nothing', () => {
    expect(projectorFromUrl('?projector=1')).toBe(true);
    expect(projectorFromUrl('?lang=ru&projector=on')).toBe(true);
    expect(projectorFromUrl('?projector=0')).toBe(false);
    expect(projectorFromUrl('?projector=off')).toBe(false);
    expect(projectorFromUrl('?projector=maybe')).toBeNull();
    expect(projectorFromUrl('')).toBeNull();
  });

  it('lets a bookmarked URL win over what the browser remembered', () => {
    expect(initialProjectorMode('?projector=1', '0')).toBe(true);
    expect(initialProjectorMode('?projector=0', '1')).toBe(false);
  });

  it('otherwise uses what the browser remembered, and is off for a first visit', () => {
    expect(initialProjectorMode('', '1')).toBe(true);
    expect(initialProjectorMode('', '0')).toBe(false);
    expect(initialProjectorMode('', null)).toBe(false);
    expect(initialProjectorMode('?projector=maybe', '1')).toBe(true);
  });
});
