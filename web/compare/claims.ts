// The seminar notes' claims, each checked against the lab's latest measured rows. Pure: the page
// passes the results; the verdict is composed from them, and says "depends" or "wrong" when the
// numbers do.
import type { Lang } from '../kit/lang-context.ts';
import type { JobKind, Protocol, ProtocolResult } from './lab-types.ts';
import { countRu } from '../text/russian-plural.ts';

export interface ClaimVerdict {
  id: string;
  claim: string;
  /** null: the rows it needs have not been measured yet */
  measured: string | null;
  /** the job to run when it is not measured yet */
  needs: JobKind;
}

/** "1 round trip", "3 round trips" */
const countEn = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;
const usersRu = (count: number) => countRu(count, 'пользователь', 'пользователя', 'пользователей');
const usersEn = (count: number) => countEn(count, 'user', 'users');
const tripsRu = (count: number) => countRu(count, 'обмен', 'обмена', 'обменов');
const tripsEn = (count: number) => countEn(count, 'round trip', 'round trips');

type Find = (protocol: Protocol, job: JobKind, size?: number) => ProtocolResult | undefined;

function finder(results: readonly ProtocolResult[]): Find {
  return (protocol, job, size) =>
    [...results]
      .reverse()
      .find((row) => row.protocol === protocol && row.job === job && !row.failure && row.runs.length > 0 && (size === undefined || row.size === size));
}

const JOB_NAMES: Record<Lang, Record<JobKind, string>> = {
  en: {
    read: 'read a user with posts',
    'by-id': 'users with posts, one operation each',
    list: 'list users',
    create: 'create a user',
    events: 'events',
    burst: 'a burst of messages',
  },
  ru: {
    read: 'пользователь с постами',
    'by-id': 'пользователи с постами, по операции на каждого',
    list: 'список пользователей',
    create: 'создать пользователя',
    events: 'события',
    burst: 'пачка сообщений',
  },
};

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 100));
const bytes = (row: ProtocolResult) => row.bytesUp + row.bytesDown;

/** "a ≈ b" when their ranges overlap: on one machine, a few runs cannot rank them. */
function overlap(a: ProtocolResult, b: ProtocolResult): boolean {
  if (!a.total || !b.total) return true;
  return a.total.min <= b.total.max && b.total.min <= a.total.max;
}

/**
 * What GraphQL batching changed in the by-id job: the latest GraphQL POST row with the knob on,
 * against the latest with it off for the same number of users. null until both were run.
 */
function batchingVerdict(results: readonly ProtocolResult[], ru: boolean): string | null {
  const latest = (batching: boolean, count?: number) =>
    [...results]
      .reverse()
      .find(
        (row) =>
          row.protocol === 'graphql-post' &&
          row.job === 'by-id' &&
          row.graphqlBatching === batching &&
          !row.failure &&
          row.runs.length > 0 &&
          (count === undefined || row.byIdCount === count),
      );
  const on = latest(true);
  const off = on && latest(false, on.byIdCount);
  if (!on || !off) return null;
  const users = on.byIdCount ?? 0;
  const fewerBytes = bytes(on) < bytes(off);
  const offSql = off.runs[0].sqlStatements;
  const onSql = on.runs[0].sqlStatements;
  let sql = '';
  if (offSql !== undefined && onSql !== undefined) {
    const merged = onSql < offSql;
    sql = ru
      ? ` SQL-запросов сервер выполнил ${offSql} по одному и ${onSql} пакетом${merged ? ': меньше, потому что операции пакета делят один загрузчик (DataLoader), и тот объединил чтение их постов; резолверы всё равно отработали для каждой операции' : onSql === offSql ? ': столько же' : ''}.`
      : ` The server ran ${countEn(offSql, 'SQL statement', 'SQL statements')} one by one and ${onSql} batched${merged ? ': fewer, because a batch’s operations share one loader (DataLoader), which merged their posts reads; the resolvers still ran for every operation' : onSql === offSql ? ': the same' : ''}.`;
  }
  return ru
    ? `Пакетная отправка, ${usersRu(users)}, по операции на каждого: по одному — ${tripsRu(off.roundTrips)}, ${bytes(off)} байт; одним POST — ${tripsRu(on.roundTrips)}, ${bytes(on)} байт${fewerBytes ? ' (меньше на заголовки лишних запросов)' : ''}.${sql} Пакет экономит обмены, а не работу сервера над каждой операцией: каждую он разбирает, проверяет и выполняет, и ответ ждёт самую медленную.`
    : `Batching, ${usersEn(users)}, one operation each: one by one ${tripsEn(off.roundTrips)}, ${bytes(off)} bytes; in one POST ${tripsEn(on.roundTrips)}, ${bytes(on)} bytes${fewerBytes ? ' (less by the headers of the extra requests)' : ''}.${sql} A batch saves round trips, not the server’s work on each operation: every operation is still parsed, validated and run, and the answer waits for the slowest.`;
}

export function claimVerdicts(results: readonly ProtocolResult[], lang: Lang): ClaimVerdict[] {
  const find = finder(results);
  const ru = lang === 'ru';
  // one function per claim, each from the rows it needs
  return [protobufSmallerVerdict, grpcFasterVerdict, restStreamsVerdict, graphqlRoundTripsVerdict, longPollingVerdict, webSocketCheaperVerdict].map((verdict) =>
    verdict(find, ru, results),
  );
}

/** 1. binary protobuf is smaller than JSON */
function protobufSmallerVerdict(find: Find, ru: boolean): ClaimVerdict {
  const sizes = [100, 10, 1].filter((size) => find('connect-binary', 'list', size) && find('connect-json', 'list', size));
  const parts = sizes.map((size) => {
    const binary = find('connect-binary', 'list', size)!;
    const json = find('connect-json', 'list', size)!;
    const gzip =
      binary.gzipPayloadDown !== undefined && json.gzipPayloadDown !== undefined
        ? ru
          ? ` После gzip: ${binary.gzipPayloadDown} против ${json.gzipPayloadDown} байт (${percent(binary.gzipPayloadDown, json.gzipPayloadDown)} %).`
          : ` Gzipped: ${binary.gzipPayloadDown} vs ${json.gzipPayloadDown} bytes (${percent(binary.gzipPayloadDown, json.gzipPayloadDown)}%).`
        : '';
    return ru
      ? `${usersRu(size)}: данные ответа — ${binary.payloadDown} байт в protobuf против ${json.payloadDown} в JSON (${percent(binary.payloadDown, json.payloadDown)} %); с заголовками весь обмен — ${bytes(binary)} против ${bytes(json)} байт (${percent(bytes(binary), bytes(json))} %).${gzip}`
      : `${usersEn(size)}: response payload ${binary.payloadDown} bytes in protobuf vs ${json.payloadDown} in JSON (${percent(binary.payloadDown, json.payloadDown)}%); with headers, the whole exchange ${bytes(binary)} vs ${bytes(json)} bytes (${percent(bytes(binary), bytes(json))}%).${gzip}`;
  });
  let conclusion = '';
  if (sizes.length > 0) {
    const rows = sizes.map((size) => ({ binary: find('connect-binary', 'list', size)!, json: find('connect-json', 'list', size)! }));
    const smaller = rows.every(({ binary, json }) => binary.payloadDown < json.payloadDown);
    const smallest = rows[rows.length - 1];
    const swallowed = percent(bytes(smallest.binary), bytes(smallest.json)) >= 80;
    const gzipNarrows = rows.some(
      ({ binary, json }) =>
        binary.gzipPayloadDown !== undefined &&
        json.gzipPayloadDown !== undefined &&
        binary.gzipPayloadDown / json.gzipPayloadDown > binary.payloadDown / Math.max(1, json.payloadDown),
    );
    const said = [
      smaller
        ? ru
          ? 'данные в protobuf и правда меньше'
          : 'the protobuf payload is smaller indeed'
        : ru
          ? 'данные в protobuf оказались не меньше'
          : 'the protobuf payload was not smaller',
      swallowed
        ? ru
          ? 'но на маленьком ответе разницу почти съедают заголовки HTTP'
          : 'but on a small answer the HTTP headers nearly swallow the difference'
        : '',
      gzipNarrows ? (ru ? 'а gzip сокращает разрыв' : 'and gzip narrows the gap') : '',
    ].filter(Boolean);
    conclusion = ru ? ` Итог: ${said.join(', ')}.` : ` So: ${said.join(', ')}.`;
  }
  return {
    id: 'protobuf-smaller',
    claim: ru ? '«Двоичный protobuf меньше JSON»' : '"Binary protobuf is smaller than JSON"',
    needs: 'list',
    measured: parts.length === 0 ? null : parts.join(' ') + conclusion,
  };
}

/** 2. gRPC is faster */
function grpcFasterVerdict(find: Find, ru: boolean): ClaimVerdict {
  const job: JobKind | undefined = (['create', 'list', 'read'] as const).find((kind) => find('grpc-native', kind) && find('rest', kind));
  let measured: string | null = null;
  if (job) {
    const grpc = find('grpc-native', job)!;
    const rest = find('rest', job)!;
    const same = overlap(grpc, rest);
    const faster = (grpc.total?.median ?? 0) < (rest.total?.median ?? 0);
    const verdict = same
      ? ru
        ? 'Разбросы перекрываются: на этой машине для этой задачи быстрее ни один не оказался.'
        : 'The ranges overlap: on this machine, for this job, neither is faster.'
      : faster
        ? ru
          ? 'Здесь gRPC быстрее.'
          : 'Here gRPC is faster.'
        : ru
          ? 'Здесь gRPC медленнее: утверждение не подтвердилось.'
          : 'Here gRPC is slower: the claim does not hold.';
    const others = (['connect-binary', 'grpc-web'] as const)
      .flatMap((protocol) => {
        const other = find(protocol, job);
        return other?.total ? [`${protocol} ${other.total.median} ${ru ? 'мс' : 'ms'}`] : [];
      })
      .join(', ');
    const streamed =
      job === 'list'
        ? ru
          ? ' В этой задаче семейство gRPC передаёт поток (сообщение на пользователя), а REST — один документ.'
          : ' In this job the gRPC family streams (a message per user) while REST sends one document.'
        : job === 'read'
          ? ru
            ? ' В этой задаче REST делает два запроса (пользователь и посты), а gRPC один (только пользователь).'
            : ' In this job REST makes two requests (the user, the posts), gRPC one (the user only).'
          : '';
    measured = ru
      ? `Задача «${JOB_NAMES.ru[job]}»${job === 'list' ? `, ${usersRu(grpc.size ?? 0)}` : ''}: gRPC — ${grpc.total?.median ?? '—'} мс (${grpc.total?.min}–${grpc.total?.max}), REST — ${rest.total?.median ?? '—'} мс (${rest.total?.min}–${rest.total?.max})${others ? `; из браузера: ${others}` : ''}, по часам перехватчика на сервере. ${verdict}${streamed} Клиент нативного gRPC здесь — раннер внутри того же процесса, что и сервер (каждое сообщение он ещё и пересказывает странице в JSON), так что он делит с сервером один процессор; по сети loopback задержки нет: скорость здесь — это сериализация и обработка, а не сеть.`
      : `Job "${JOB_NAMES.en[job]}"${job === 'list' ? `, ${usersEn(grpc.size ?? 0)}` : ''}: gRPC ${grpc.total?.median ?? '—'} ms (${grpc.total?.min}–${grpc.total?.max}), REST ${rest.total?.median ?? '—'} ms (${rest.total?.min}–${rest.total?.max})${others ? `; from the browser: ${others}` : ''}, by the tap's clock on the server. ${verdict}${streamed} The native gRPC client here is the runner inside the server's own process (it also retells every message to the page as JSON), so it shares one CPU with the server; loopback has no network delay: speed here is serialization and handling, not the wire.`;
  }
  return { id: 'grpc-faster', claim: ru ? '«gRPC быстрее»' : '"gRPC is faster"', needs: 'list', measured };
}

/** 3. REST can't stream */
function restStreamsVerdict(find: Find, ru: boolean): ClaimVerdict {
  const sse = find('sse', 'events');
  const gateway = find('rest-gateway', 'list');
  const parts: string[] = [];
  if (sse) {
    parts.push(
      ru
        ? `SSE — обычный HTTP-ответ на GET /api/v1/events — доставил ${countRu(sse.runs[0].items, 'событие', 'события', 'событий')} за ${countRu(sse.roundTrips, 'HTTP-обмен', 'HTTP-обмена', 'HTTP-обменов')}.`
        : `SSE — a plain HTTP response to GET /api/v1/events — delivered ${countEn(sse.runs[0].items, 'event', 'events')} over ${countEn(sse.roundTrips, 'HTTP round trip', 'HTTP round trips')}.`,
    );
  }
  if (gateway) {
    parts.push(
      ru
        ? `REST-шлюз передал пользователей потоком строк JSON в одном ответе: ${usersRu(gateway.runs[0].items)}, ${tripsRu(gateway.roundTrips)}.`
        : `The REST gateway streamed ${usersEn(gateway.runs[0].items)} as JSON lines in one response (${tripsEn(gateway.roundTrips)}).`,
    );
  }
  return {
    id: 'rest-cant-stream',
    claim: ru ? '«REST не умеет отдавать данные потоком»' : '"REST can\'t stream"',
    needs: 'events',
    measured:
      parts.length === 0
        ? null
        : parts.join(' ') +
          ((sse && sse.roundTrips <= 1) || gateway
            ? ru
              ? ' Неверно: HTTP/1.1 отдаёт ответ частями сколько угодно долго. Чего у REST нет — так это потока от клиента к серверу в браузере и общей схемы сообщений.'
              : ' Wrong: HTTP/1.1 sends a response in pieces for as long as it likes. What REST lacks is a client-to-server stream in the browser and a shared message schema.'
            : ''),
  };
}

/** 4. GraphQL saves round trips */
function graphqlRoundTripsVerdict(find: Find, ru: boolean, results: readonly ProtocolResult[]): ClaimVerdict {
  const rest = find('rest', 'read');
  const graphql = find('graphql-post', 'read');
  let measured: string | null = null;
  if (rest && graphql) {
    const sql = graphql.runs[0].sqlStatements;
    measured = ru
      ? `Пользователь с постами: REST — ${tripsRu(rest.roundTrips)}, ${bytes(rest)} байт; GraphQL — ${tripsRu(graphql.roundTrips)}, ${bytes(graphql)} байт.${sql !== undefined ? ` Цена для сервера: резолверы GraphQL выполнили ${countRu(sql, 'SQL-запрос', 'SQL-запроса', 'SQL-запросов')} (отчёт в extensions.wirelab ответа).` : ''} Верно для вложенных данных; на одном ресурсе выигрыша нет, а кэш HTTP по URL GraphQL-POST теряет.`
      : `User with posts: REST ${tripsEn(rest.roundTrips)}, ${bytes(rest)} bytes; GraphQL ${tripsEn(graphql.roundTrips)}, ${bytes(graphql)} bytes.${sql !== undefined ? ` What it costs the server: GraphQL's resolvers ran ${countEn(sql, 'SQL statement', 'SQL statements')} (reported in the answer's extensions.wirelab).` : ''} True for nested data; on a single resource there is nothing to save, and a GraphQL POST loses HTTP caching by URL.`;
  }
  const batching = batchingVerdict(results, ru);
  const batchingHint = ru
    ? 'Что даёт пакетная отправка, покажет задача «пользователи с постами, по операции на каждого», запущенная с выключенной и с включённой пакетной отправкой GraphQL.'
    : 'What batching changes: run the job "users with posts, one operation each" with GraphQL batching off, then on.';
  if (measured) measured = `${measured} ${batching ?? batchingHint}`;
  else measured = batching;
  return { id: 'graphql-round-trips', claim: ru ? '«GraphQL экономит обмены»' : '"GraphQL saves round trips"', needs: 'read', measured };
}

/** 5. long polling costs a request per event */
function longPollingVerdict(find: Find, ru: boolean): ClaimVerdict {
  const poll = find('long-polling', 'events');
  return {
    id: 'long-polling-requests',
    claim: ru ? '«Long polling стоит запроса на каждое событие»' : '"Long polling costs a request per event"',
    needs: 'events',
    measured: poll
      ? ru
        ? `На ${countRu(poll.runs[0].items, 'событие', 'события', 'событий')} ушло ${countRu(poll.roundTrips, 'HTTP-запрос', 'HTTP-запроса', 'HTTP-запросов')} (первый since=now только узнаёт курсор, дальше по одному после каждого события и ещё ожидающий), ${bytes(poll)} байт; простой — ${poll.idleBytesPerMinute ?? '—'} байт в минуту (повторные запросы по истечении удержания). ${poll.roundTrips >= poll.runs[0].items ? 'Верно' : 'Не подтвердилось'}; когда события идут пачкой, один ответ несёт их несколько.`
        : `${countEn(poll.runs[0].items, 'event', 'events')} cost ${countEn(poll.roundTrips, 'HTTP request', 'HTTP requests')} (the first, since=now, only fetches the cursor; then one after each event, and the one still held), ${bytes(poll)} bytes; idle ${poll.idleBytesPerMinute ?? '—'} bytes per minute (re-polls when the hold time ends). ${poll.roundTrips >= poll.runs[0].items ? 'True' : 'Not confirmed'}; when events come in a burst, one answer carries several.`
      : null,
  };
}

/** 6. WebSockets are cheaper per message */
function webSocketCheaperVerdict(find: Find, ru: boolean): ClaimVerdict {
  const rows = (['websocket', 'sse', 'long-polling', 'socket-io', 'mqtt', 'graphql-sub', 'grpc-stream'] as const).flatMap((protocol) => {
    const row = find(protocol, 'events');
    return row ? [row] : [];
  });
  const ws = rows.find((row) => row.protocol === 'websocket');
  let measured: string | null = null;
  if (ws && rows.length > 1) {
    const perEvent = (row: ProtocolResult) => Math.round(row.bytesDown / Math.max(1, row.runs[0].items));
    const list = rows.map((row) => `${row.protocol}: ${perEvent(row)}`).join(', ');
    const cheapest = [...rows].sort((a, b) => perEvent(a) - perEvent(b))[0];
    const wsIsCheapest = cheapest.protocol === 'websocket';
    const poll = rows.find((row) => row.protocol === 'long-polling');
    const pollCostlier = poll !== undefined && perEvent(poll) > perEvent(ws);
    measured = ru
      ? `Байт от сервера на событие, вместе с открытием соединения: ${list}. Дешевле всех — ${cheapest.protocol}${wsIsCheapest ? ': утверждение подтвердилось' : ', а не WebSocket: утверждение верно не для всех'}. Кадр WebSocket стоит 2–4 байта сверх данных, но открытие (рукопожатие HTTP) платится один раз.${pollCostlier ? ' Long polling дороже: заголовки запроса и ответа на каждое событие.' : ''}`
      : `Server bytes per event, connection setup included: ${list}. Cheapest: ${cheapest.protocol}${wsIsCheapest ? ': the claim holds' : ', not WebSocket: the claim does not hold against all of them'}. A WebSocket frame costs 2–4 bytes beyond its data, but the setup (the HTTP handshake) is paid once.${pollCostlier ? ' Long polling costs more: request and response headers for every event.' : ''}`;
  }
  const burstWs = find('ws-burst', 'burst');
  const burstHttp = find('http-one-by-one', 'burst');
  if (burstWs && burstHttp) {
    const upPer = (row: ProtocolResult) => Math.round(row.bytesUp / Math.max(1, row.runs[0].items));
    const cheaper = upPer(burstWs) < upPer(burstHttp);
    const burst = ru
      ? ` Пачка из ${burstWs.runs[0].items} сообщений от клиента: WebSocket — ${upPer(burstWs)} байт от клиента на сообщение (с рукопожатием), HTTP по запросу на сообщение — ${upPer(burstHttp)}${cheaper ? '' : ': здесь WebSocket не дешевле — рукопожатие не окупилось на такой короткой пачке'}.`
      : ` A burst of ${burstWs.runs[0].items} messages from the client: WebSocket ${upPer(burstWs)} client bytes per message (handshake included), HTTP one request per message ${upPer(burstHttp)}${cheaper ? '' : ': here WebSocket is not cheaper — the handshake did not pay off over so short a burst'}.`;
    measured = (measured ?? '') + burst;
  }
  return { id: 'websocket-cheaper', claim: ru ? '«WebSocket дешевле на сообщение»' : '"WebSockets are cheaper per message"', needs: 'events', measured };
}
