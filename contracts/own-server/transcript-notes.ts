// The lines a transcript adds to the bytes it shows, to explain their framing: a check's `sent` and
// `got` are kept as text in the report (CheckResult), so a note is written in English and each
// reader (the page, the command line) puts it in its reader's language with `localizeTranscript`.
// A note is a line of its own beginning with NOTE_MARK, so it reads apart from the bytes around it.
import type { Bilingual } from '../../shared/bilingual.ts';

type Language = keyof Bilingual;

export const NOTE_MARK = '┆ ';

const NBSP = '\u00a0';

/** Before a chunk's size line: how many bytes of data follow it (RFC 9112 §7.1). */
export function chunkNote(size: number, sizeLine: string): string {
  if (size === 0) return `${NOTE_MARK}last chunk (size line "${sizeLine}"): the body ends here`;
  return `${NOTE_MARK}chunk of ${size}${NBSP}bytes: its size line "${sizeLine}" is hexadecimal, CRLF ends its data`;
}

const RUSSIAN: Array<[RegExp, (...groups: string[]) => string]> = [
  [
    /^┆ last chunk \(size line "([^"]*)"\): the body ends here$/,
    (line) => `${NOTE_MARK}последний фрагмент (строка размера «${line}»): тело ответа закончилось`,
  ],
  [
    /^┆ chunk of (\d+)\u00a0bytes: its size line "([^"]*)" is hexadecimal, CRLF ends its data$/,
    (size, line) => `${NOTE_MARK}фрагмент в ${size}${NBSP}${bytesRu(Number(size))}: «${line}» — его размер в шестнадцатеричной записи, CRLF завершает данные`,
  ],
];

function bytesRu(count: number): string {
  const lastTwo = count % 100;
  const last = count % 10;
  return last >= 2 && last <= 4 && (lastTwo < 12 || lastTwo > 14) ? 'байта' : 'байт';
}

/** The transcript with its note lines in `language` (the bytes are left as they came). */
export function localizeTranscript(transcript: string, language: Language): string {
  if (language === 'en' || !transcript.includes(NOTE_MARK)) return transcript;
  return transcript
    .split('\n')
    .map((line) => {
      for (const [english, russian] of RUSSIAN) {
        const match = english.exec(line);
        if (match) return russian(...match.slice(1));
      }
      return line;
    })
    .join('\n');
}
