import type { Bilingual } from '../../../../shared/bilingual.ts';

/** Every refusal of the lab's routes, in both languages (`detail` carries the English). */
export const pipelineMessages = {
  /** the last event of a lab's event stream when the server shuts down */
  streamEndsForShutdown: (retryS: number): Bilingual => ({
    en: `The server is shutting down; the lab's page reconnects in ${retryS} s and gets the lab's state again.`,
    ru: `Сервер выключается; страница лаборатории переподключится через ${retryS} с и снова получит её состояние.`,
  }),
  workerDown: (waitedMs: number): Bilingual => ({
    en: `The notification worker is stopped: nobody can take this call now (answered after ${waitedMs} ms). Start it and try again — or publish the order to the broker, which keeps it for the worker.`,
    ru: `Сервис уведомлений остановлен: принять вызов сейчас некому (ответ через ${waitedMs} мс). Запустите его и повторите — или опубликуйте заказ в брокер, он сохранит его для сервиса.`,
  }),
  workerReconnecting: (): Bilingual => ({
    en: 'The notification worker lost its connection to the broker and is reconnecting by itself: it could not push the notification now. Try again in a few seconds — or publish the order to the broker, which keeps it for the worker.',
    ru: 'Сервис уведомлений потерял соединение с брокером и подключается сам: отправить уведомление сейчас он не может. Повторите через несколько секунд — или опубликуйте заказ в брокер, он сохранит его для сервиса.',
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
  methodNotAllowed: (path: string, method: string): Bilingual => ({
    en: `${path} answers GET only, not ${method}.`,
    ru: `${path} отвечает только на GET, а не на ${method}.`,
  }),
  unreadableBody: (reason: string): Bilingual => ({ en: `The request body could not be read: ${reason}`, ru: `Не удалось прочитать тело запроса: ${reason}` }),
  notListening: (): Bilingual => ({
    en: 'The lab’s consumers connect to this server’s own port, and the server is not listening on one.',
    ru: 'Потребители лаборатории подключаются к собственному порту сервера, а сервер сейчас не слушает порт.',
  }),
  shuttingDown: (): Bilingual => ({
    en: 'The server is shutting down: try again in a few seconds.',
    ru: 'Сервер выключается: повторите через несколько секунд.',
  }),
  orderTooLarge: (bytes: number, maxPacketBytes: number): Bilingual => ({
    en: `This order is too large for the broker: the notification that carries it would be a PUBLISH of ${bytes} bytes, and the broker takes packets of at most ${maxPacketBytes} bytes (${maxPacketBytes / 1024} KiB). Nothing was published; send a smaller order.`,
    ru: `Заказ слишком велик для брокера: уведомление с ним было бы пакетом PUBLISH в ${bytes} Б, а брокер принимает пакеты не больше ${maxPacketBytes} Б (${maxPacketBytes / 1024} КБ). Ничего не опубликовано; отправьте заказ поменьше.`,
  }),
  bodyTooLarge: (maxBytes: number): Bilingual => ({
    en: `The request body is larger than ${maxBytes} bytes: nothing was read or published.`,
    ru: `Тело запроса больше ${maxBytes} Б: ничего не прочитано и не опубликовано.`,
  }),
  textIsText: (value: string): Bilingual => ({
    en: `text, when given, is a string, not ${value}.`,
    ru: `text, если он есть, — строка, а не ${value}.`,
  }),
  tooDeep: (max: number): Bilingual => ({
    en: `The body nests more than ${max} levels deep; the lab's bodies are flat objects of numbers, strings and booleans.`,
    ru: `Тело запроса вложено глубже ${max} уровней; тела запросов лаборатории — плоские объекты из чисел, строк и логических значений.`,
  }),
  sessionRequired: (): Bilingual => ({
    en: 'The lab runs in your own sandbox, and this request names none: open the lesson page (its session cookie), or send the header x-wirelab-sandbox (the page’s “copy as curl” adds it). The shared sandbox has no lab, so nobody can stop or slow down a worker for everyone.',
    ru: 'Лаборатория работает в вашей собственной песочнице, а этот запрос её не называет: откройте страницу урока (cookie сессии) или отправьте заголовок x-wirelab-sandbox (его добавляет «скопировать как curl» на странице). У общей песочницы лаборатории нет: никто не может остановить или замедлить сервис для всех.',
  }),
  tooManyLabs: (max: number, retryAfterS: number): Bilingual => ({
    en: `This address already has ${max} labs open, its limit: a lab whose page is closed is put to sleep after a while. Try again in ${retryAfterS} s.`,
    ru: `С этого адреса уже открыто ${max} лабораторных — это предел: лабораторная, чья страница закрыта, через некоторое время засыпает. Повторите через ${retryAfterS} с.`,
  }),
  workFailed: (reason: string, restartMs: number): Bilingual => ({
    en: `Handling an order failed (${reason}), and the consumer stopped, as a crashed worker would. It restarts by itself in ${restartMs / 1000} s; the broker still holds the order.`,
    ru: `Обработка заказа завершилась ошибкой (${reason}), и потребитель остановился, как упавший сервис. Он перезапустится сам через ${restartMs / 1000} с; заказ по-прежнему у брокера.`,
  }),
  restarted: (reason: string): Bilingual => ({
    en: `Restarted by itself after a failure (${reason}); the orders it had not acknowledged came again from the broker.`,
    ru: `Перезапустился сам после ошибки (${reason}); заказы, которые он не подтвердил, брокер прислал снова.`,
  }),
  connectionLost: (reason: Bilingual, retryInMs: number | null): Bilingual => ({
    en: `Lost its connection to the broker (${reason.en})${retryInMs === null ? '.' : `; reconnecting by itself in ${retryInMs / 1000} s.`}`,
    ru: `Потерял соединение с брокером (${reason.ru})${retryInMs === null ? '.' : `; подключится сам через ${retryInMs / 1000} с.`}`,
  }),
  reconnected: (reason: Bilingual): Bilingual => ({
    en: `Reconnected by itself after losing its connection (${reason.en}): its persistent session kept the orders, and whatever it had not acknowledged came again.`,
    ru: `Переподключился сам после потери соединения (${reason.ru}): постоянная сессия сохранила заказы, а неподтверждённые пришли снова.`,
  }),
  internal: (): Bilingual => ({ en: 'The lab failed; see the server log.', ru: 'Лаборатория дала сбой; подробности — в логах сервера.' }),
};
