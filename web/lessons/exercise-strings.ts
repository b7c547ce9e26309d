import type { Bilingual } from '../../shared/bilingual.ts';
import type { CheckMiss, MessageMatch, RequestMatch, ResponseDifference } from '../../contracts/exercise-checks/check-types.ts';
import { splitReference } from '../../contracts/exercise-checks/check-reading.ts';
import type { UncountedMiss } from '../../contracts/exercise-checks/verdict.ts';

// The exercise card's words (exercise-card.tsx), apart from the lesson page's (strings.ts): the card
// loads once the lesson's text is on screen, and a miss's sentences are most of these bytes.

/** Why the class's server did not count a miss (its answer's `why`, miss-verdict.ts): the card says it as the server said it. */
const MISS_NOT_COUNTED_EN: Record<UncountedMiss['why'], string> = {
  frozen: 'the teacher had frozen the students’ writes',
  'no-answer': 'no answer was typed yet, so there was nothing to be wrong',
  unfinished: 'the exercise is still under way (a step before its question, or a run before the fix)',
  'not-reached': 'it did not find this attempt in the traffic it captured for you',
  'not-this-question': 'that exchange is not an answer to this exercise’s question',
  passed: 'it sees this exercise passed',
};
const MISS_NOT_COUNTED_RU: Record<UncountedMiss['why'], string> = {
  frozen: 'преподаватель заморозил запись у студентов',
  'no-answer': 'ответ ещё не введён, ошибиться было не в чем',
  unfinished: 'упражнение ещё в работе (шаг до его вопроса или запуск до исправления)',
  'not-reached': 'он не нашёл эту попытку в трафике, записанном для вас',
  'not-this-question': 'этот обмен — не ответ на вопрос упражнения',
  passed: 'он видит упражнение пройденным',
};

const describeRequestEn = (request: RequestMatch) => [request.method ?? 'a request', request.path ? `to ${humanPath(request.path)}` : ''].join(' ').trim();
const describeRequestRu = (request: RequestMatch) => [request.method ?? 'запрос', request.path ? `на ${humanPath(request.path)}` : ''].join(' ').trim();

/** `^/api/v1/users/[0-9]+$` → `/api/v1/users/…`: what a student recognises in a path pattern. */
function humanPath(pattern: string): string {
  return pattern
    .replace(/^\^/, '')
    .replace(/\$$/, '')
    .replace(/\\\//g, '/')
    .replace(/\[[^\]]*\][+*]?|\([^)]*\)[+*?]?|\.[+*]|\\d[+*]?/g, '…');
}

function differenceEn(difference: ResponseDifference): string {
  switch (difference.what) {
    case 'no-response':
      return 'the response has not arrived yet';
    case 'status':
      return `it got ${difference.got}, not ${difference.expected.join(' or ')}`;
    case 'header':
      return difference.got === null
        ? `the response has no ${difference.name} header`
        : `its ${difference.name} header is “${difference.got}”, not what we are after`;
    case 'body':
      return 'the response body is not the one we are after yet';
  }
}

function differenceRu(difference: ResponseDifference): string {
  switch (difference.what) {
    case 'no-response':
      return 'ответ ещё не пришёл';
    case 'status':
      return `ответ — ${difference.got}, а нужен ${difference.expected.join(' или ')}`;
    case 'header':
      return difference.got === null
        ? `в ответе нет заголовка ${difference.name}`
        : `заголовок ${difference.name} в ответе — «${difference.got}», а нужен другой`;
    case 'body':
      return 'тело ответа пока не то, что нужно';
  }
}

export const exerciseStrings = {
  en: {
    startsFrom: 'Start from the cell',
    goToCell: 'go to the cell',
    hint: (n: number) => `Hint ${n}`,
    showHint: (n: number, total: number) => (total === 1 ? 'Show a hint' : `Show hint ${n} of ${total}`),
    notTried: 'Not tried yet',
    notYet: 'Tried, not yet passed',
    passed: 'Passed',
    passedMessage: 'Well done — checked against your real traffic. ✓',
    passedBefore: 'You solved this one earlier. Try it again anytime.',
    boardRefused: (why: 'not-seen' | 'no-captures' | 'ended'): string =>
      why === 'ended'
        ? 'The class has ended: this pass reaches the teacher’s board when the teacher reopens the class.'
        : why === 'no-captures'
          ? 'Not on the teacher’s board: the server holds no captures of this browser for it (recording off, or the page was reloaded on another server). Run the cell again.'
          : 'Not on the teacher’s board: the server did not find it in the traffic it captured for you. Run the cell again.',
    missCounted: 'Counted by the server: this miss is on the teacher’s board.',
    missNotCounted: (why: UncountedMiss['why']): string => `Not counted by the server: ${MISS_NOT_COUNTED_EN[why]}.`,
    answerLabel: 'Your answer',
    answerSubmit: 'Check',
    runOnly: 'Nothing to change in this one: use the cell as it is (run or connect it), then study what comes back.',
    aimedAtMine:
      'The cell ran against your server: its answer is shown above, but this exercise is about Wirelab’s server and counts only exchanges with it. Switch the cell back to Wirelab to pass it.',
    miss: (miss: CheckMiss) => {
      switch (miss.kind) {
        case 'no-request':
          return miss.step !== undefined && miss.step > 0
            ? `Step ${miss.step + 1}: after that, I am waiting for ${describeRequestEn(miss.expected)}.`
            : `No ${describeRequestEn(miss.expected)} in your traffic since you opened this lesson yet.`;
        case 'response-differs':
          return `I see your ${miss.exchange.request.method} ${miss.exchange.request.target}, but ${differenceEn(miss.difference)}.`;
        case 'no-answer':
          return 'The request is there. Now type your answer and press Check.';
        case 'wrong-answer':
          return `Not quite: that is not what your last ${miss.exchange.request.method} ${miss.exchange.request.target} shows. Look at its bytes in the inspector again.`;
        case 'no-value':
          return `Your last ${miss.exchange.request.method} ${miss.exchange.request.target} does not contain that value. Try sending the request again.`;
        case 'wrong-message-answer':
          return `Not quite: your last ${miss.message.layer} shows something else. Look at it in the inspector again.`;
        case 'no-message':
          return miss.step !== undefined && miss.step > 0
            ? `Step ${miss.step + 1}: now I am waiting for ${describeMessageEn(miss.expected)}.`
            : miss.found > 0
              ? `${miss.found} of ${miss.needed} so far: ${describeMessageEn(miss.expected)}.`
              : `Nothing like ${describeMessageEn(miss.expected)} in your traffic since you opened this lesson yet.`;
        case 'wrong-pick':
          return 'Not this one: what you picked in the capture is not what the question asks for. Look at the capture in the inspector again.';
        case 'capture-file':
          return 'This question is about the lesson’s capture file: open it and answer from its bytes.';
      }
    },
  },
  ru: {
    startsFrom: 'Начните с ячейки',
    goToCell: 'перейти к ячейке',
    hint: (n: number) => `Подсказка ${n}`,
    showHint: (n: number, total: number) => (total === 1 ? 'Показать подсказку' : `Показать подсказку ${n} из ${total}`),
    notTried: 'Ещё не решено',
    notYet: 'Пробовали, пока не вышло',
    passed: 'Решено',
    passedMessage: 'Отлично — проверено по вашему настоящему трафику. ✓',
    passedBefore: 'Вы уже решили это упражнение. Можно повторить в любой момент.',
    boardRefused: (why: 'not-seen' | 'no-captures' | 'ended'): string =>
      why === 'ended'
        ? 'Занятие завершено: этот результат попадёт на доску преподавателя, когда занятие откроют снова.'
        : why === 'no-captures'
          ? 'На доске преподавателя этого нет: у сервера нет записи трафика этого браузера (запись выключена или страница открыта на другом сервере). Запустите ячейку ещё раз.'
          : 'На доске преподавателя этого нет: сервер не нашёл этого в трафике, который он записал для вас. Запустите ячейку ещё раз.',
    missCounted: 'Засчитано сервером: этот промах есть на доске преподавателя.',
    missNotCounted: (why: UncountedMiss['why']): string => `Сервер не засчитал этот промах: ${MISS_NOT_COUNTED_RU[why]}.`,
    answerLabel: 'Ваш ответ',
    answerSubmit: 'Проверить',
    runOnly: 'Здесь ничего менять не нужно: запустите или подключите ячейку как есть и разберите, что придёт в ответ.',
    aimedAtMine:
      'Ячейка отправлена на ваш сервер: его ответ показан выше, но это упражнение — про сервер Wirelab и засчитывает только обмены с ним. Чтобы его пройти, переключите ячейку обратно на Wirelab.',
    miss: (miss: CheckMiss) => {
      switch (miss.kind) {
        case 'no-request':
          return miss.step !== undefined && miss.step > 0
            ? `Шаг ${miss.step + 1}: теперь ожидается ${describeRequestRu(miss.expected)}.`
            : `С тех пор как вы открыли урок, ${describeRequestRu(miss.expected)} ещё не отправлялся.`;
        case 'response-differs':
          return `Вижу ваш ${miss.exchange.request.method} ${miss.exchange.request.target}, но ${differenceRu(miss.difference)}.`;
        case 'no-answer':
          return 'Запрос есть. Теперь введите ответ и нажмите «Проверить».';
        case 'wrong-answer':
          return `Не совсем: последний ${miss.exchange.request.method} ${miss.exchange.request.target} показывает другое. Посмотрите на его байты в инспекторе ещё раз.`;
        case 'no-value':
          return `В последнем ${miss.exchange.request.method} ${miss.exchange.request.target} такого значения нет. Отправьте запрос ещё раз.`;
        case 'wrong-message-answer':
          return `Не совсем: последнее сообщение ${miss.message.layer} показывает другое. Посмотрите на него в инспекторе ещё раз.`;
        case 'no-message':
          return miss.step !== undefined && miss.step > 0
            ? `Шаг ${miss.step + 1}: теперь ожидается ${describeMessageRu(miss.expected)}.`
            : miss.found > 0
              ? `Пока ${miss.found} из ${miss.needed}: ${describeMessageRu(miss.expected)}.`
              : `С тех пор как вы открыли урок, в вашем трафике такого ещё не было: ${describeMessageRu(miss.expected)}.`;
        case 'wrong-pick':
          return 'Не то: выбранное в записи — не то, о чём спрашивает вопрос. Посмотрите запись в инспекторе ещё раз.';
        case 'capture-file':
          return 'Этот вопрос — о файле записи урока: откройте его и ответьте по его байтам.';
      }
    },
  },
};

// A check's message pattern as a sentence, not as notation ("ws-frame ← (opcode=close)"): the
// layer as a noun, the direction in words; field names and values stay protocol terms.
const LAYER_NOUNS: Record<string, Bilingual> = {
  'ws-frame': { en: 'a WebSocket frame', ru: 'кадр WebSocket' },
  'engine-io-packet': { en: 'an Engine.IO packet', ru: 'пакет Engine.IO' },
  'socket-io-packet': { en: 'a Socket.IO packet', ru: 'пакет Socket.IO' },
  'sse-event': { en: 'an SSE event', ru: 'событие SSE' },
  'grpc-message': { en: 'a gRPC message', ru: 'сообщение gRPC' },
  'grpc-status': { en: 'a gRPC status', ru: 'статус gRPC' },
  'graphql-http': { en: 'a GraphQL exchange over HTTP', ru: 'обмен GraphQL по HTTP' },
  'graphql-ws': { en: 'a GraphQL message over WebSocket', ru: 'сообщение GraphQL по WebSocket' },
  'mqtt-packet': { en: 'an MQTT packet', ru: 'пакет MQTT' },
};

/** `/^(next|data)$/` → `next or data`; another pattern is shown as the pattern it is. */
function humanValue(value: string | number | boolean, or: string): string {
  const text = String(value);
  const alternatives = /^\/\^\(([\w.:|-]+)\)\$\/$/.exec(text);
  if (alternatives) return alternatives[1].split('|').join(` ${or} `);
  return text;
}

function describeMessageIn(match: MessageMatch, lang: 'en' | 'ru'): string {
  const fields = { ...(match.fields ?? {}) };
  let noun = LAYER_NOUNS[match.layer]?.[lang] ?? match.layer;
  // the frame's or packet's type is its name: "a close frame", «кадр close» (as the lessons say)
  if (match.layer === 'ws-frame' && typeof fields.opcode === 'string') {
    noun = lang === 'ru' ? `кадр ${fields.opcode}` : `a ${fields.opcode} frame`;
    delete fields.opcode;
  } else if (match.layer === 'mqtt-packet' && typeof fields.type === 'string') {
    noun = lang === 'ru' ? `пакет ${fields.type}` : `a ${fields.type} packet`;
    delete fields.type;
  } else if ((match.layer === 'engine-io-packet' || match.layer === 'socket-io-packet') && typeof fields.type === 'string') {
    const library = match.layer === 'engine-io-packet' ? 'Engine.IO' : 'Socket.IO';
    noun = lang === 'ru' ? `пакет ${library} ${fields.type}` : `a ${library} ${fields.type} packet`;
    delete fields.type;
  }
  const direction =
    match.dir === 'in' ? (lang === 'ru' ? ' от клиента' : ' from the client') : match.dir === 'out' ? (lang === 'ru' ? ' от сервера' : ' from the server') : '';
  const or = lang === 'ru' ? 'или' : 'or';
  const details = Object.entries(fields).map(([name, value]) => `${name}: ${humanValue(value, or)}`);
  // references to earlier steps, counted from 1 as the miss line counts steps
  for (const [name, reference] of Object.entries(match.sameAs ?? {})) {
    const [step, field] = splitReference(reference);
    details.push(lang === 'ru' ? `${name}: как ${field} в шаге ${step + 1}` : `${name}: the ${field} of step ${step + 1}`);
  }
  if (match.sameConnectionAs !== undefined)
    details.push(lang === 'ru' ? `в соединении шага ${match.sameConnectionAs + 1}` : `on the connection of step ${match.sameConnectionAs + 1}`);
  for (const excluded of match.without ?? [])
    details.push(
      lang === 'ru'
        ? `и перед ним не было: ${describeMessageIn(excluded, lang)}`
        : `with no ${describeMessageIn(excluded, lang).replace(/^an? /, '')} before it`,
    );
  return `${noun}${direction}${details.length ? ` (${details.join(', ')})` : ''}`;
}

const describeMessageEn = (match: MessageMatch) => describeMessageIn(match, 'en');
const describeMessageRu = (match: MessageMatch) => describeMessageIn(match, 'ru');
