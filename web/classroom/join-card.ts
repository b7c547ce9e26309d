import type { Lang } from '../kit/lang-context.ts';

/**
 * Where students on the network open Wirelab, first the one the card and the QR code name:
 * PUBLIC_URL when the server was given one (wherever the teacher's page is open); the machine's
 * LAN addresses when the teacher's page is open on localhost (students cannot open this machine's
 * localhost); otherwise the address the teacher's page itself was opened at.
 */
export function studentOrigins(options: { publicOrigin: string | null; lanOrigins: readonly string[]; pageOrigin: string; pageHostname: string }): string[] {
  if (options.publicOrigin) return [options.publicOrigin];
  if (isLocalHostname(options.pageHostname) && options.lanOrigins.length > 0) return [...options.lanOrigins];
  return [options.pageOrigin];
}

export function isLocalHostname(hostname: string): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
}

/**
 * The join link (and the QR code's text): no language in it, so each student's page opens in
 * their own — the one they chose before on this server, else their browser's (web/app/app.tsx).
 */
export function joinUrl(origin: string, code: string): string {
  return `${origin}/class?code=${encodeURIComponent(code)}`;
}

/** A class's printable join card, in the teacher's language (the card says its steps in both). */
export function joinCardPath(lang: Lang, code: string): string {
  return `/${lang}/class/card?class=${encodeURIComponent(code)}`;
}

/** The class a card's address names (`?class=`), as the server wrote the code; null without one. */
export function cardClassCode(search: string): string | null {
  const code = new URLSearchParams(search).get('class');
  return code && /^[A-Za-z0-9-]{1,12}$/.test(code) ? code.replace(/-/g, '').toUpperCase() : null;
}

/** What the card tells a student, in one language: the room mixes languages, so a card carries both. */
export interface JoinCardSteps {
  heading: string;
  codeLabel: string;
  scan: string;
  orOpen: string;
  enter: string;
  noAccount: string;
  otherAddresses: string;
}

export const JOIN_CARD_STEPS: Record<Lang, JoinCardSteps> = {
  ru: {
    heading: 'Как войти в класс',
    codeLabel: 'Код класса',
    scan: 'Наведите камеру телефона на QR-код',
    orOpen: 'или откройте в браузере адрес',
    enter: 'Введите код класса и своё имя — его увидит преподаватель.',
    noAccount: 'Регистрация и email не нужны.',
    otherAddresses: 'Если адрес не открывается:',
  },
  en: {
    heading: 'How to join the class',
    codeLabel: 'Class code',
    scan: 'Point your phone’s camera at the QR code',
    orOpen: 'or open this address in a browser',
    enter: 'Enter the class code and your name — the teacher will see it.',
    noAccount: 'No account, no email.',
    otherAddresses: 'If the address does not open:',
  },
};

/** Both languages on one card: the teacher's first, so the card reads naturally to who prints it. */
export function cardLangs(teacherLang: Lang): [Lang, Lang] {
  return teacherLang === 'ru' ? ['ru', 'en'] : ['en', 'ru'];
}
