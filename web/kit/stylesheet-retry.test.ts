import { describe, expect, it } from 'vitest';
import { stylesheetOfPreloadError } from './stylesheet-retry.ts';

describe('stylesheetOfPreloadError', () => {
  it('names the stylesheet of Vite’s preload error, and nothing for another error', () => {
    expect(stylesheetOfPreloadError(new Error('Unable to preload CSS for http://127.0.0.1:8080/assets/inspector-QJm9pZMD.css'))).toBe(
      'http://127.0.0.1:8080/assets/inspector-QJm9pZMD.css',
    );
    expect(stylesheetOfPreloadError(new Error('Failed to fetch dynamically imported module: /assets/x.js'))).toBeNull();
    expect(stylesheetOfPreloadError(undefined)).toBeNull();
  });
});
