import { describe, expect, it } from 'vitest';
import { browserErrorIn } from './browser-error.ts';
import { sseConsoleStrings } from './sse/strings.ts';
import { httpEditorStrings } from './http/strings.ts';

describe("browser errors in the reader's language", () => {
  it('says the known fetch and abort messages in Russian', () => {
    expect(browserErrorIn('Failed to fetch', 'ru')).toBe('сеть недоступна, или браузер отказался его отправить');
    expect(browserErrorIn('signal is aborted without reason', 'ru')).toBe('страница его отменила');
    expect(sseConsoleStrings.ru.failed('signal is aborted without reason')).not.toMatch(/aborted/);
    expect(httpEditorStrings.ru.networkError('Failed to fetch')).toBe('Запрос не дошёл до сервера: сеть недоступна, или браузер отказался его отправить');
  });

  it('keeps an unknown message as the browser wrote it', () => {
    expect(browserErrorIn('Something new', 'ru')).toBe('Something new');
  });
});
