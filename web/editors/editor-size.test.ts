import { describe, expect, it } from 'vitest';
import { HOST_MIN_HEIGHT, hostHeightBeforeEditor, hostHeightFor } from './editor-size.ts';

describe("a cell editor's host height", () => {
  it('follows the content between the minimum and maximum lines, padding included', () => {
    expect(hostHeightFor(3 * 22 + 16, 22, 0, 24)).toBe(82);
    expect(hostHeightFor(1 * 22 + 16, 22, 3, 18)).toBe(3 * 22 + 16);
    expect(hostHeightFor(40 * 22 + 16, 22, 3, 18)).toBe(18 * 22 + 16);
  });

  it('before the editor exists, is what the editor will ask for an unwrapped text', () => {
    const text = 'POST /api/v1/users HTTP/1.1\nContent-Type: application/json\n\n{"name": "Ada"}';
    expect(hostHeightBeforeEditor(text, 22, 0, 24)).toBe(hostHeightFor(4 * 22 + 16, 22, 0, 24));
    // the projector's line height
    expect(hostHeightBeforeEditor(text, 30, 0, 24)).toBe(4 * 30 + 16);
    expect(hostHeightBeforeEditor('x\n'.repeat(60), 22, 3, 18)).toBe(18 * 22 + 16);
  });

  it('is never below the host’s min-height, which the page would apply anyway', () => {
    expect(hostHeightBeforeEditor('GET /api/v1/users/1', 22, 0, 24)).toBe(HOST_MIN_HEIGHT);
    expect(hostHeightFor(22 + 16, 22, 0, 24)).toBeLessThan(HOST_MIN_HEIGHT);
  });
});
