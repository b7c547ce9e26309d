// «Поделиться» / "Share" and the page of a shared capture: { ru, en } with the same keys (share-strings.test.ts).
import type { SharedCaptureExpiry } from '../../contracts/shared-capture/shared-capture.ts';

const en = {
  share: 'Share',
  shareHint:
    'Keep this capture on the server and get a link that opens it read-only in any browser. Cookies, tokens and other secrets are blanked, as they are here.',
  expiresIn: 'Keep for',
  expiry: { '1h': '1 hour', '1d': '1 day', '7d': '7 days' } satisfies Record<SharedCaptureExpiry, string>,
  createLink: 'Create link',
  sharing: 'Uploading…',
  link: 'Link to the capture',
  copy: 'Copy link',
  copied: 'Copied',
  expiresAt: (when: string) => `Kept until ${when}; then the link stops working.`,
  failed: (why: string) => `Could not share: ${why}`,
  leftOutHere: (count: number) => `The app's own requests hidden here (${count}) are not shared.`,
  close: 'Close',
  sharedTitle: 'Shared capture',
  loading: 'Loading the shared capture…',
  readOnly: (when: string) => `Read-only. Kept until ${when}.`,
  notFound: 'There is no such shared capture: the link is wrong, or the capture expired or was deleted.',
  loadFailed: (why: string) => `Could not load the shared capture: ${why}`,
  delete: 'Delete',
  deleteHint: 'You shared this capture: delete it from the server now, before it expires.',
  deleted: 'The capture is deleted; the link no longer opens it.',
  openAgain: 'Show the shared capture again',
  leftOut: (count: number) =>
    `Not included: the app's own requests (the page, its scripts and styles), ${count} of them; they were hidden in the sharer's view too.`,
};

export type ShareStrings = typeof en;

const ru: ShareStrings = {
  share: 'Поделиться',
  shareHint:
    'Сохранить эту запись на сервере и получить ссылку, по которой её можно открыть в любом браузере только для чтения. Cookie, токены и другие секреты скрыты — так же, как здесь.',
  expiresIn: 'Хранить',
  expiry: { '1h': '1 час', '1d': '1 день', '7d': '7 дней' },
  createLink: 'Создать ссылку',
  sharing: 'Загружаем…',
  link: 'Ссылка на запись',
  copy: 'Скопировать ссылку',
  copied: 'Скопировано',
  expiresAt: (when) => `Хранится до ${when}, потом ссылка перестанет работать.`,
  failed: (why) => `Не удалось поделиться: ${why}`,
  leftOutHere: (count) => `Скрытые здесь запросы самого приложения (${count}) не войдут в запись по ссылке.`,
  close: 'Закрыть',
  sharedTitle: 'Запись по ссылке',
  loading: 'Загружаем запись…',
  readOnly: (when) => `Только для чтения. Хранится до ${when}.`,
  notFound: 'Такой записи нет: ссылка неверна, или срок хранения записи истёк, или её удалили.',
  loadFailed: (why) => `Не удалось загрузить запись: ${why}`,
  delete: 'Удалить',
  deleteHint: 'Вы поделились этой записью: удалить её с сервера сейчас, не дожидаясь конца срока.',
  deleted: 'Запись удалена, ссылка её больше не открывает.',
  openAgain: 'Снова показать запись по ссылке',
  leftOut: (count) => `Не включены запросы самого приложения (страница, её скрипты и стили): ${count}. У того, кто поделился записью, они тоже были скрыты.`,
};

export const shareStrings = { en, ru };
