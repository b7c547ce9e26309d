import type { Bilingual } from '../../shared/bilingual.ts';

/** Every refusal of the lab's routes, in both languages (`detail` carries the English). */
export const pipelineMessages = {
  workerDown: (waitedMs: number): Bilingual => ({
    en: `The notification worker is stopped: nobody can take this call now (answered after ${waitedMs} ms). Start it and try again — or publish the order to the broker, which keeps it for the worker.`,
    ru: `Сервис уведомлений остановлен: принять вызов сейчас некому (ответ через ${waitedMs} мс). Запустите его и повторите — или опубликуйте заказ в брокер, он сохранит его для сервиса.`,
  }),
  badName: (name: string): Bilingual => ({
    en: `A consumer’s name is 1–20 characters: a lower-case letter, then letters, digits or “-”; not “${name}”.`,
    ru: `Имя потребителя — от 1 до 20 символов: строчная латинская буква, затем буквы, цифры или «-»; «${name}» не подходит.`,
  }),
  notObject: (): Bilingual => ({ en: 'The body must be a JSON object.', ru: 'Тело запроса должно быть JSON-объектом.' }),
  unknownFields: (names: readonly string[], known: readonly string[]): Bilingual => ({
    en: `Unknown field(s) ${names.join(', ')}; this request knows ${known.join(', ')}.`,
    ru: `Неизвестные поля: ${names.join(', ')}; этот запрос понимает ${known.join(', ')}.`,
  }),
  badRole: (role: string): Bilingual => ({
    en: `role is "subscriber" (its own subscription: gets every order) or "member" (a member of the consumer group: shares the orders), not "${role}".`,
    ru: `role — это "subscriber" (своя подписка: получает каждый заказ) или "member" (участник группы потребителей: заказы делятся между участниками), а не "${role}".`,
  }),
  badRunning: (): Bilingual => ({ en: 'running must be true or false.', ru: 'running — это true или false.' }),
  badDelay: (value: string, max: number): Bilingual => ({
    en: `delayMs is a whole number of milliseconds from 0 to ${max}, not ${value}.`,
    ru: `delayMs — целое число миллисекунд от 0 до ${max}, а не ${value}.`,
  }),
  notifierRole: (): Bilingual => ({
    en: 'The notifier is a subscriber: the direct REST call goes to it. Give a group member another name.',
    ru: 'notifier — подписчик: к нему идёт прямой REST-вызов. Участнику группы дайте другое имя.',
  }),
  roleFixed: (name: string, role: string): Bilingual => ({
    en: `“${name}” is already a ${role}; remove it first to add it with another role.`,
    ru: `«${name}» уже ${role === 'member' ? 'участник группы' : 'подписчик'}; чтобы сменить роль, сначала удалите его.`,
  }),
  tooManyConsumers: (max: number): Bilingual => ({
    en: `A lab holds at most ${max} consumers (the notifier included): remove one first.`,
    ru: `В лаборатории не больше ${max} потребителей (вместе с notifier): сначала удалите одного.`,
  }),
  notifierStays: (): Bilingual => ({
    en: 'The notifier cannot be removed: the direct REST call goes to it. Stop it instead.',
    ru: 'notifier нельзя удалить: к нему идёт прямой REST-вызов. Остановите его.',
  }),
  noSuchConsumer: (name: string): Bilingual => ({ en: `There is no consumer “${name}” in this lab.`, ru: `Потребителя «${name}» в этой лаборатории нет.` }),
  orderRequired: (): Bilingual => ({
    en: 'The body needs "order": a number or a string that names the order.',
    ru: 'В теле нужно поле "order": число или строка — номер заказа.',
  }),
  tooManyStreams: (max: number): Bilingual => ({
    en: `At most ${max} lab event streams at once per session: close one first.`,
    ru: `Не больше ${max} потоков событий лаборатории одновременно на сессию: сначала закройте один.`,
  }),
  tooManyChanges: (count: number, seconds: number): Bilingual => ({
    en: `At most ${count} consumer changes per ${seconds} s: each one opens or closes MQTT connections. Try again after Retry-After.`,
    ru: `Не больше ${count} изменений потребителей за ${seconds} с: каждое открывает или закрывает MQTT-соединения. Повторите после Retry-After.`,
  }),
  methodNotAllowed: (path: string, method: string): Bilingual => ({ en: `${path} answers GET only, not ${method}.`, ru: `${path} отвечает только на GET, а не на ${method}.` }),
  unreadableBody: (reason: string): Bilingual => ({ en: `The request body could not be read: ${reason}`, ru: `Не удалось прочитать тело запроса: ${reason}` }),
  notListening: (): Bilingual => ({
    en: 'The lab’s consumers connect to this server’s own port, and the server is not listening on one.',
    ru: 'Потребители лаборатории подключаются к собственному порту сервера, а сервер сейчас не слушает порт.',
  }),
  shuttingDown: (): Bilingual => ({ en: 'The server is shutting down: try again in a few seconds.', ru: 'Сервер выключается: повторите через несколько секунд.' }),
  internal: (): Bilingual => ({ en: 'The lab failed; see the server log.', ru: 'Лаборатория дала сбой; подробности — в журнале сервера.' }),
};
