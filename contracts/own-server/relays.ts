// The realtime consoles aimed at the student's own server (PROTOCOL.md, "Consoles aimed at my
// server"): the relay paths, and the facts a relay reports instead of an error's text — what the
// student's server did wrong, in both languages. Pure TypeScript: the server and the page import it.
import type { Bilingual } from '../../shared/bilingual.ts';
import { russianPlural } from '../../shared/russian-plural.ts';

/** WebSocket: `?target=host:port&path=/ws/echo`; Wirelab relays messages both ways. */
export const OWN_SERVER_WS_RELAY_PATH = '/_wirelab/own-server/ws-relay';
/** SSE: `GET ?target=host:port&path=/events`, answered with the student's event stream. */
export const OWN_SERVER_SSE_RELAY_PATH = '/_wirelab/own-server/sse-relay';
/** MQTT over WebSocket: `?target=host:port`; each WebSocket message carries MQTT bytes to and from the broker's TCP port. */
export const OWN_SERVER_MQTT_RELAY_PATH = '/_wirelab/own-server/mqtt-relay';

/** The query of a relay path: where the student's server is, and (WebSocket, SSE) the path on it. */
export function relayQuery(target: string, path?: string): string {
  // encodeURIComponent, not URLSearchParams: a contract uses no global of the DOM or Node
  const query = `?target=${encodeURIComponent(target.trim())}`;
  return path === undefined ? query : `${query}&path=${encodeURIComponent(path)}`;
}

/** A request-target on the student's server: from `/`, visible ASCII, at most 4 KiB. */
export const RELAY_PATH_PATTERN = /^\/[\x21-\x7e]{0,4095}$/;

/** Why a relay ended or never opened, as data: the page words it (relayFactText). */
export type RelayFact =
  | { fact: 'bad-request'; field: 'target' | 'path'; value: string }
  | { fact: 'session-required' }
  | { fact: 'own-servers-off' }
  | { fact: 'not-your-address'; target: string; student: string }
  | { fact: 'unspecified-address'; target: string }
  | { fact: 'not-resolved'; name: string }
  | { fact: 'too-many-connections'; limit: number }
  /** the port is closed to Wirelab's outbound connections: its own Redis (REDIS_URL) or the teacher's list (OWN_SERVERS_DENY_PORTS) */
  | { fact: 'denied-port'; port: number; why: 'redis' | 'listed' }
  /** behind a trusted reverse proxy (TRUST_PROXY) a loopback client is not this machine's user */
  | { fact: 'loopback-behind-proxy'; student: string }
  | { fact: 'refused'; address: string }
  | { fact: 'reset'; bytes: number }
  | { fact: 'no-connection'; address: string; seconds: number }
  | { fact: 'no-answer'; seconds: number }
  | { fact: 'not-upgraded'; status: number; statusText: string }
  | { fact: 'bad-handshake'; detail: string }
  | { fact: 'no-close-frame'; bytes: number }
  | { fact: 'bad-frame'; detail: string }
  | { fact: 'too-many-bytes'; limit: number }
  | { fact: 'closed'; bytes: number }
  /** the MQTT relay passes only MQTT: `rule` is the MQTT decoder's error code or one of NOT_MQTT_RULES */
  | { fact: 'not-mqtt'; side: 'page' | 'server'; packet: string; rule: string }
  /** Wirelab itself shuts down (a teacher's Ctrl-C): the student's server did nothing wrong */
  | { fact: 'wirelab-stopping' };

/**
 * The close code a relay's WebSocket to the browser ends with when Wirelab, not the student's
 * server, ends it; the reason is `encodeRelayFact(fact)`. A close the student's server sent is
 * passed on with its own code and reason (1005, "no code", as a close frame without a code).
 */
export const RELAY_CLOSE = {
  /** the request to the relay was wrong, or no session */
  badRequest: 4400,
  /** the guard refused: not the student's machine, the feature off */
  refused: 4403,
  /** the student holds their connections already */
  busy: 4429,
  /** the student's server did something wrong: refused, reset, no 101, no close frame, a bad frame */
  serverFault: 4502,
  /** no TCP connection, or no answer in time */
  timeout: 4504,
  /**
   * Wirelab shuts down: RFC 6455's "going away" (§7.4.1), as every other WebSocket of the app hears.
   * A 1001 the student's server sent is passed on too: only this one's reason is the fact.
   */
  wirelabStopping: 1001,
} as const;

export function relayCloseCode(fact: RelayFact): number {
  switch (fact.fact) {
    case 'bad-request':
    case 'session-required':
      return RELAY_CLOSE.badRequest;
    case 'not-mqtt':
      return fact.side === 'page' ? RELAY_CLOSE.badRequest : RELAY_CLOSE.serverFault;
    case 'own-servers-off':
    case 'not-your-address':
    case 'unspecified-address':
    case 'not-resolved':
    case 'denied-port':
    case 'loopback-behind-proxy':
      return RELAY_CLOSE.refused;
    case 'too-many-connections':
      return RELAY_CLOSE.busy;
    case 'no-connection':
    case 'no-answer':
      return RELAY_CLOSE.timeout;
    case 'wirelab-stopping':
      return RELAY_CLOSE.wirelabStopping;
    default:
      return RELAY_CLOSE.serverFault;
  }
}

/** A close reason is at most 123 bytes (RFC 6455 §5.5): long strings are cut until the JSON fits. */
export function encodeRelayFact(fact: RelayFact): string {
  let json = JSON.stringify(fact);
  for (let keep = 60; utf8Bytes(json) > 123 && keep >= 0; keep -= 10) {
    const cut: Record<string, unknown> = { ...fact };
    for (const [key, value] of Object.entries(cut)) if (typeof value === 'string' && key !== 'fact') cut[key] = value.slice(0, keep);
    json = JSON.stringify(cut);
  }
  return json;
}

/**
 * The fact in a relay's close, or null when the close was the student's server's own: a fact comes
 * only with its own code (a 1001 passed on from the student's server stays theirs, its reason whatever it is).
 */
export function readRelayFact(code: number, reason: string): RelayFact | null {
  if (code !== RELAY_CLOSE.wirelabStopping && (code < 4400 || code > 4599)) return null;
  try {
    const value = JSON.parse(reason) as { fact?: unknown };
    if (!value || typeof value !== 'object' || typeof value.fact !== 'string' || !(value.fact in FACT_TEXTS)) return null;
    const fact = value as RelayFact;
    return relayCloseCode(fact) === code ? fact : null;
  } catch {
    return null;
  }
}

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** The MQTT relay's own rules (server/own-server/mqtt-gate.ts); any other rule is an MQTT decoder error code. */
const NOT_MQTT_RULES: Readonly<Record<string, Bilingual>> = {
  'not-connect-first': { en: 'the first packet must be CONNECT (MQTT-3.1.0-1)', ru: 'первым пакетом должен быть CONNECT (MQTT-3.1.0-1)' },
  'not-connack-first': {
    en: 'the first packet from the server must be CONNACK (MQTT-3.2.0-1)',
    ru: 'первым пакетом сервера должен быть CONNACK (MQTT-3.2.0-1)',
  },
  'second-connect': { en: 'CONNECT and CONNACK come once per connection (MQTT-3.1.0-2)', ru: 'CONNECT и CONNACK бывают один раз за соединение (MQTT-3.1.0-2)' },
  'wrong-direction': { en: 'this packet type does not go this way', ru: 'пакет этого типа не ходит в эту сторону' },
  'too-large': { en: 'a packet larger than the relay’s 1 MiB', ru: 'пакет больше 1 МиБ, предела ретранслятора' },
  'text-line': {
    en: 'a CONNECT holding a whole text line (two line feeds, 0x0a, with text between): a text protocol would run it as a command',
    ru: 'CONNECT содержит целую текстовую строку (два перевода строки 0x0a и текст между ними): текстовый протокол выполнил бы её как команду',
  },
};

const bytesEn = (n: number) => `${n} ${n === 1 ? 'byte' : 'bytes'}`;

type Texts = { [K in RelayFact['fact']]: (fact: Extract<RelayFact, { fact: K }>) => Bilingual };

const FACT_TEXTS: Texts = {
  'bad-request': (f) =>
    f.field === 'target'
      ? {
          en: `“${f.value}” is not host:port of your server (e.g. 127.0.0.1:8000).`,
          ru: `«${f.value}» — не host:port вашего сервера (например, 127.0.0.1:8000).`,
        }
      : {
          en: `“${f.value}” is not a path on your server: it starts with / and has no spaces.`,
          ru: `«${f.value}» — не путь на вашем сервере: путь начинается с / и не содержит пробелов.`,
        },
  'session-required': () => ({ en: 'No Wirelab session: reload the page.', ru: 'Нет сессии Wirelab: перезагрузите страницу.' }),
  'own-servers-off': () => ({
    en: 'Checking your own server is turned off on this Wirelab (OWN_SERVERS=off).',
    ru: 'Проверка своего сервера на этом Wirelab выключена (OWN_SERVERS=off).',
  }),
  'not-your-address': (f) => ({
    en: `Wirelab checks only your own machine: ${f.target} is not the address your browser connects from (${f.student}).`,
    ru: `Wirelab проверяет только вашу собственную машину: ${f.target} — не тот адрес, с которого подключается ваш браузер (${f.student}).`,
  }),
  'unspecified-address': (f) => ({
    en: `${f.target} is "any address", not a machine: give your server's address, e.g. 127.0.0.1.`,
    ru: `${f.target} — это «любой адрес», а не машина: укажите адрес своего сервера, например 127.0.0.1.`,
  }),
  'not-resolved': (f) => ({
    en: `"${f.name}" did not resolve to an address Wirelab may connect to.`,
    ru: `Имя «${f.name}» не дало адреса, к которому Wirelab может подключиться.`,
  }),
  'too-many-connections': (f) => ({
    en: `At most ${f.limit} connections to your server at once; wait for the running check to finish.`,
    // «не больше» takes the genitive: 1 (21…) соединения, otherwise соединений
    ru: `Не больше ${f.limit} ${russianPlural(f.limit, 'соединения', 'соединений', 'соединений')} с вашим сервером одновременно; дождитесь конца идущей проверки.`,
  }),
  'denied-port': (f) =>
    f.why === 'redis'
      ? {
          en: `Wirelab does not connect to port ${f.port}: the Redis Wirelab itself runs on is there (REDIS_URL).`,
          ru: `К порту ${f.port} Wirelab не подключается: там Redis, на котором работает сам Wirelab (REDIS_URL).`,
        }
      : {
          en: `Wirelab does not connect to port ${f.port}: the teacher has closed it to "my server" (OWN_SERVERS_DENY_PORTS).`,
          ru: `К порту ${f.port} Wirelab не подключается: преподаватель закрыл его для «моего сервера» (OWN_SERVERS_DENY_PORTS).`,
        },
  'loopback-behind-proxy': (f) => ({
    en: `Wirelab sits behind a reverse proxy (TRUST_PROXY), and your request came from ${f.student}: X-Forwarded-For is a header anyone can write, so Wirelab cannot tell which machine is yours. The teacher can have the proxy send the PROXY protocol instead (PROXY_PROTOCOL_FROM).`,
    ru: `Wirelab работает за обратным прокси (TRUST_PROXY), а ваш запрос пришёл с ${f.student}: заголовок X-Forwarded-For может написать кто угодно, поэтому Wirelab не может понять, какая машина ваша. Преподаватель может настроить прокси на протокол PROXY (PROXY_PROTOCOL_FROM).`,
  }),
  refused: (f) => ({
    en: `Connection refused: nothing listens at ${f.address}. Is your server running?`,
    ru: `В соединении отказано: по адресу ${f.address} никто не слушает. Ваш сервер запущен?`,
  }),
  reset: (f) => ({
    en: `Your server reset the connection (TCP RST) after sending ${bytesEn(f.bytes)}.`,
    ru: `Ваш сервер сбросил соединение (TCP RST), прислав до этого байт: ${f.bytes}.`,
  }),
  'no-connection': (f) => ({
    en: `No TCP connection to ${f.address} within ${f.seconds} s.`,
    ru: `За ${f.seconds} с не удалось установить TCP-соединение с ${f.address}.`,
  }),
  'no-answer': (f) => ({ en: `Your server did not answer within ${f.seconds} s.`, ru: `Ваш сервер не ответил за ${f.seconds} с.` }),
  'not-upgraded': (f) => ({
    en: `Your server answered ${f.status}${f.statusText ? ` ${f.statusText}` : ''} instead of 101 Switching Protocols: no WebSocket there.`,
    ru: `Ваш сервер ответил ${f.status}${f.statusText ? ` ${f.statusText}` : ''} вместо 101 Switching Protocols: WebSocket там нет.`,
  }),
  'bad-handshake': (f) => ({
    en: `Your server's 101 answer is not a valid WebSocket handshake: ${f.detail}.`,
    ru: `Ответ 101 вашего сервера — неправильное открытие WebSocket: ${f.detail}.`,
  }),
  'no-close-frame': (f) => ({
    en: `Your server closed the TCP connection without a close frame (RFC 6455 §7.1.1), after sending ${bytesEn(f.bytes)}.`,
    ru: `Ваш сервер закрыл TCP-соединение без кадра закрытия (RFC 6455 §7.1.1); до этого пришло байт: ${f.bytes}.`,
  }),
  'bad-frame': (f) => ({ en: `Your server sent a frame that breaks RFC 6455: ${f.detail}.`, ru: `Ваш сервер прислал кадр, нарушающий RFC 6455: ${f.detail}.` }),
  'too-many-bytes': (f) => ({
    en: `Your server sent more than ${f.limit} bytes on one connection; Wirelab cut it there.`,
    ru: `Ваш сервер прислал по одному соединению больше ${f.limit} байт; Wirelab оборвал его на этом.`,
  }),
  closed: (f) => ({
    en: `Your server closed the connection after sending ${bytesEn(f.bytes)}.`,
    ru: `Ваш сервер закрыл соединение; до этого пришло байт: ${f.bytes}.`,
  }),
  'not-mqtt': (f) => {
    const rule = NOT_MQTT_RULES[f.rule] ?? { en: f.rule, ru: f.rule };
    return f.side === 'page'
      ? {
          en: `The relay passes only well-formed MQTT, and the page sent ${f.packet} that is not: ${rule.en}. Wirelab closed the relay.`,
          ru: `Ретранслятор пропускает только правильные пакеты MQTT, а страница отправила ${f.packet} с ошибкой: ${rule.ru}. Wirelab закрыл ретранслятор.`,
        }
      : {
          en: `Your server did not answer in MQTT: ${f.packet}, ${rule.en}. Wirelab passes only MQTT and closed the relay.`,
          ru: `Ваш сервер ответил не по MQTT: ${f.packet}, ${rule.ru}. Wirelab пропускает только MQTT и закрыл ретранслятор.`,
        };
  },
  'wirelab-stopping': () => ({
    en: 'Wirelab’s server is stopping — your server did nothing wrong; connect again once Wirelab is back.',
    ru: 'Сервер Wirelab выключается — ваш сервер ни при чём; подключитесь снова, когда Wirelab вернётся.',
  }),
};

/** Whether a fact is news, not a fault: Wirelab stopping is no failure of the student's server (a console shows it as info). */
export function relayFactIsFault(fact: RelayFact): boolean {
  return fact.fact !== 'wirelab-stopping';
}

/** What the student reads: the fact, in both languages. */
export function relayFactText(fact: RelayFact): Bilingual {
  return (FACT_TEXTS[fact.fact] as (f: RelayFact) => Bilingual)(fact);
}
