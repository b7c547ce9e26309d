import type { Lang } from '../kit/lang-context.ts';

// fetch and AbortSignal fail with the browser's own English words ("Failed to fetch", "signal is
// aborted without reason"); a console line says what they mean in the reader's language.

const KNOWN: Array<{ pattern: RegExp; en: string; ru: string }> = [
  {
    pattern: /^(Failed to fetch|NetworkError when attempting to fetch resource\.?|Load failed)$/i,
    en: 'the network failed, or the browser refused to send it',
    ru: 'сеть недоступна, или браузер отказался его отправить',
  },
  {
    pattern: /^(signal is aborted without reason|The user aborted a request\.?|The operation was aborted\.?|This operation was aborted)$/i,
    en: 'the page cancelled it',
    ru: 'страница его отменила',
  },
  { pattern: /^(The operation timed out\.?|signal timed out)$/i, en: 'no answer in time', ru: 'ответа нет слишком долго' },
  {
    pattern: /^(network error|net::ERR_INCOMPLETE_CHUNKED_ENCODING|error in input stream)$/i,
    en: 'the connection broke off mid-response',
    ru: 'соединение оборвалось посреди ответа',
  },
];

/** A browser error message said in `lang` when it is a known one, else as the browser wrote it. */
export function browserErrorIn(message: string, lang: Lang): string {
  const known = KNOWN.find(({ pattern }) => pattern.test(message.trim()));
  return known ? known[lang] : message;
}
