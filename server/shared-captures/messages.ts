// What the shared captures' routes answer a refusal with, in both languages (problem+json `localized`).
import type { Bilingual } from '../../shared/bilingual.ts';
import { SHARED_CAPTURE_EXPIRY_NAMES } from '../../contracts/shared-capture/shared-capture.ts';
import type { ShareRefusal } from './shared-capture-store.ts';

/** "8 MB" / «8 МБ», "16 KB" / «16 КБ» under a megabyte; a decimal comma in Russian. */
function sizeText(bytes: number): Bilingual {
  const [amount, en, ru] = bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'MB', 'МБ'] : [bytes / 1024, 'KB', 'КБ'];
  const rounded = String(Math.round(amount * 10) / 10);
  return { en: `${rounded} ${en}`, ru: `${rounded.replace('.', ',')} ${ru}` };
}

export const shareMessages = {
  sessionRequired: (): Bilingual => ({
    en: 'Sharing a capture needs a Wirelab session: share it from the inspector in your browser (the page has the session cookie).',
    ru: 'Чтобы поделиться записью, нужна сессия Wirelab: делитесь из инспектора в браузере (у страницы есть cookie сессии).',
  }),
  badExpiry: (): Bilingual => ({
    en: `?expires= must be one of ${SHARED_CAPTURE_EXPIRY_NAMES.join(', ')}.`,
    ru: `?expires= — одно из значений: ${SHARED_CAPTURE_EXPIRY_NAMES.join(', ')}.`,
  }),
  notPcapng: (contentType: string): Bilingual => ({
    en: `The body must be a pcapng file (application/x-pcapng or application/octet-stream), not "${contentType}".`,
    ru: `Тело запроса — файл pcapng (application/x-pcapng или application/octet-stream), а не «${contentType}».`,
  }),
  unreadable: (code: string): Bilingual =>
    code === 'har'
      ? {
          en: 'A HAR has no bytes on the wire to keep and blank: share a pcapng or pcap.',
          ru: 'В HAR нет байтов с провода, которые можно сохранить и очистить от секретов: поделитесь файлом pcapng или pcap.',
        }
      : {
          en: `The body is not a pcapng or pcap file with TCP connections (${code}).`,
          ru: `Тело запроса — не файл pcapng или pcap с TCP-соединениями (${code}).`,
        },
  refused: (refusal: ShareRefusal): Bilingual => {
    if (refusal.kind === 'too-large')
      return {
        en: `A shared capture may be at most ${sizeText(refusal.limit).en}: clear the inspector and record only what you want to show, or open a smaller file.`,
        ru: `Запись, которой делятся, — не больше ${sizeText(refusal.limit).ru}: очистите инспектор и запишите только то, что хотите показать, или откройте файл поменьше.`,
      };
    const seconds = Math.ceil(refusal.retryAfterMs / 1000);
    const from: Bilingual = refusal.scope === 'address' ? { en: 'from your address', ru: 'с вашего адреса' } : { en: 'on this server', ru: 'на этом сервере' };
    const limit: Bilingual =
      refusal.what === 'count'
        ? { en: `at most ${refusal.limit} are kept at once`, ru: `одновременно хранится не больше ${refusal.limit}` }
        : { en: `together they may take at most ${sizeText(refusal.limit).en}`, ru: `вместе они занимают не больше ${sizeText(refusal.limit).ru}` };
    return {
      en: `Too many shared captures ${from.en}: ${limit.en}. The next one expires in ${seconds} s; try again then.`,
      ru: `Слишком много сохранённых записей ${from.ru}: ${limit.ru}. Ближайшая истечёт через ${seconds} с — тогда попробуйте снова.`,
    };
  },
  notFound: (): Bilingual => ({
    en: 'There is no such shared capture: the link is wrong, or the capture expired or was deleted.',
    ru: 'Такой записи нет: ссылка неверна, или срок хранения записи истёк, или её удалили.',
  }),
  notOwner: (): Bilingual => ({
    en: 'Only the session that shared this capture can delete it.',
    ru: 'Удалить запись может только та сессия, которая ею поделилась.',
  }),
  badRequest: (detail: string): Bilingual => ({
    en: `Bad request: ${detail}.`,
    ru: `Некорректный запрос: ${detail}.`,
  }),
};
