import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CaptureClient } from '../integration/capture-client.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, checkedNow, enabledNow, LIVE, textNow } from './lesson-page.ts';

// The comparison lab in real Chromium against the real server, in both languages: it runs the
// read job and the events job over every protocol, and every byte count it shows is checked
// against the capture channel read here independently (the tap's own chunks, not the page's).

const lab = useAppAndBrowser();

const READ_PROTOCOLS = ['rest', 'graphql-post', 'graphql-get', 'connect-json', 'connect-binary', 'grpc-web', 'grpc-native', 'rest-gateway'];
const EVENTS_PROTOCOLS = ['sse', 'websocket', 'socket-io', 'long-polling', 'graphql-sub', 'grpc-stream', 'mqtt'];
const BURST_PROTOCOLS = ['ws-burst', 'sio-burst', 'grpc-client-stream', 'http-one-by-one'];
/** a whole job over every protocol takes a while: the idle window, the events, the fences */
const JOB_DONE = { timeout: 150_000, interval: 500 };

interface RunData {
  from: number;
  to: number;
  conns: string[];
  up: number;
  down: number;
}

async function sessionOf(page: Page): Promise<string> {
  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name === 'wirelab_session')?.value;
  if (!session) throw new Error('no session cookie');
  return session;
}

async function runJob(page: Page, job: 'read' | 'events' | 'burst', protocols: string[]): Promise<void> {
  await page.locator(`[data-testid="compare-job"][value="${job}"]`).check();
  await page.locator('[data-testid="compare-reps"]').selectOption('1');
  if (job === 'events') {
    await page.locator('[data-testid="compare-events"]').selectOption('3');
    await page.locator('[data-testid="compare-idle"]').selectOption('2');
  }
  if (job === 'burst') await page.locator('[data-testid="compare-messages"]').selectOption('5');
  await page.locator('[data-testid="compare-run"]').click();
  await expect
    .poll(async () => (await enabledNow(page.locator('[data-testid="compare-run"]'))) && (await page.locator('[data-testid="compare-row"]').count()), JOB_DONE)
    .toBe(protocols.length);
}

/** The first number of a cell: "1234 = 1000 + 234" → 1234. */
function leadingNumber(text: string | null): number {
  return Number(/^\s*(\d+)/.exec(text ?? '')?.[1] ?? Number.NaN);
}

/**
 * Every row's shown byte counts against the capture channel: each run's up and down bytes are the
 * sum of the chunks the tap recorded on that run's connections inside its window.
 */
async function expectBytesFromCaptures(
  page: Page,
  protocols: string[],
  rowOf: (protocol: string) => Locator = (protocol) => page.locator(`[data-testid="compare-row"][data-protocol="${protocol}"]`),
): Promise<void> {
  const capture = await CaptureClient.open(lab.server.origin, await sessionOf(page));
  try {
    for (const protocol of protocols) {
      const row = rowOf(protocol);
      expect(await row.getAttribute('data-failed'), `${protocol}: ${await row.textContent()}`).toBe('false');
      const runs = JSON.parse((await row.getAttribute('data-runs')) ?? '[]') as RunData[];
      expect(runs.length).toBe(1);
      const [run] = runs;
      expect(run.conns.length, protocol).toBeGreaterThan(0);
      // The ring is replayed on connect; wait until it holds the end of the window.
      await capture.waitFor(() => capture.chunks().some((chunk) => chunk.t >= run.to));
      const inWindow = capture.chunks().filter((chunk) => run.conns.includes(chunk.conn) && chunk.t > run.from && chunk.t < run.to);
      const sum = (dir: 'in' | 'out') =>
        inWindow.filter((chunk) => chunk.dir === dir).reduce((total, chunk) => total + Buffer.from(chunk.data, 'base64').length, 0);
      expect(sum('in'), `${protocol} bytes up`).toBe(run.up);
      expect(sum('out'), `${protocol} bytes down`).toBe(run.down);
      expect(run.up, protocol).toBeGreaterThan(0);
      expect(run.down, protocol).toBeGreaterThan(0);
      expect(leadingNumber(await row.locator('[data-testid="compare-up"]').textContent()), `${protocol} shown up`).toBe(run.up);
      expect(leadingNumber(await row.locator('[data-testid="compare-down"]').textContent()), `${protocol} shown down`).toBe(run.down);
    }
  } finally {
    await capture.close();
  }
}

describe.each(['en', 'ru'] as const)('the comparison lab (%s)', (lang) => {
  it('runs the read job over every protocol and shows byte counts equal to the captured bytes', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/${lang}/compare`);
    await expect.poll(() => textNow(page.locator('[data-testid="compare-lab"] h1')), LIVE).toBe(lang === 'en' ? 'Comparison lab' : 'Лаборатория сравнения');
    await runJob(page, 'read', READ_PROTOCOLS);
    await expectBytesFromCaptures(page, READ_PROTOCOLS);

    // REST reads the user and then the posts: two round trips; GraphQL one, and its SQL count.
    const roundTrips = (protocol: string) =>
      page.locator(`[data-testid="compare-row"][data-protocol="${protocol}"] [data-testid="compare-round-trips"]`).textContent();
    expect(await roundTrips('rest')).toBe('2');
    expect(await roundTrips('graphql-post')).toBe('1');
    // Native gRPC is the one row on HTTP/2 (h2c through the runner); the browser's rows HTTP/1.1.
    expect(await page.locator('[data-testid="compare-row"][data-protocol="grpc-native"]').textContent()).toContain('HTTP/2');
    expect(await page.locator('[data-testid="compare-row"][data-protocol="rest"]').textContent()).toContain('HTTP/1.1');
    // One bar per protocol in the bytes chart, each bar's value the row's up + down.
    expect(await page.locator('[data-testid="compare-chart"][data-measure="bytes"] [data-testid="compare-bar"]').count()).toBe(READ_PROTOCOLS.length);
    // The GraphQL claim is measured now, in the page's language.
    await expect.poll(() => attributeNow(page.locator('[data-testid="compare-claim"][data-claim="graphql-round-trips"]'), 'data-measured'), LIVE).toBe('true');
    expect(await page.locator('[data-testid="compare-claim"][data-claim="graphql-round-trips"] dd').textContent()).toMatch(
      lang === 'en' ? /SQL statement/ : /SQL-запрос/,
    );

    // A row opens its exchange in the inspector.
    const restRun = JSON.parse((await page.locator('[data-testid="compare-row"][data-protocol="rest"]').getAttribute('data-runs')) ?? '[]') as RunData[];
    await page.locator('[data-testid="compare-row"][data-protocol="rest"]').click();
    const selected = page.locator('[data-testid="inspector"] [data-testid="insp-exchange"][aria-pressed="true"]');
    await expect.poll(() => attributeNow(selected, 'data-conn'), LIVE).toBe(restRun[0].conns[0]);
    expect(await selected.textContent()).toContain('/api/v1/users/1');
    await releasePage(page);
  }, 240_000);
});

// Its checks are numbers only: one language is enough (the Russian page, as the read job covers English too).
describe('the comparison lab, events job', () => {
  it('runs the events job over every protocol: latency, idle cost and byte counts from the captures', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/ru/compare`);
    await runJob(page, 'events', EVENTS_PROTOCOLS);
    await expectBytesFromCaptures(page, EVENTS_PROTOCOLS);
    for (const protocol of EVENTS_PROTOCOLS) {
      const row = page.locator(`[data-testid="compare-row"][data-protocol="${protocol}"]`);
      expect(await row.locator('[data-testid="compare-latency"]').textContent(), protocol).toMatch(/^\d/);
      expect(await row.locator('[data-testid="compare-idle-cost"]').textContent(), protocol).toMatch(/^\d+$/);
    }
    // Long polling: at least one request per event (3 events), SSE one response for all of them.
    const trips = async (protocol: string) =>
      Number(await page.locator(`[data-testid="compare-row"][data-protocol="${protocol}"] [data-testid="compare-round-trips"]`).textContent());
    expect(await trips('long-polling')).toBeGreaterThanOrEqual(3);
    expect(await trips('sse')).toBe(1);
    await releasePage(page);
  }, 240_000);
});

describe('the comparison lab, burst job', () => {
  it('sends 5 messages over each protocol; HTTP one by one makes 5 round trips, the WebSocket one upgrade', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/en/compare`);
    await runJob(page, 'burst', BURST_PROTOCOLS);
    await expectBytesFromCaptures(page, BURST_PROTOCOLS);
    const trips = async (protocol: string) =>
      Number(await page.locator(`[data-testid="compare-row"][data-protocol="${protocol}"] [data-testid="compare-round-trips"]`).textContent());
    expect(await trips('http-one-by-one')).toBe(5);
    expect(await trips('ws-burst')).toBe(1);
    expect(await trips('grpc-client-stream')).toBe(1);
    await releasePage(page);
  }, 240_000);
});

describe.each(['en', 'ru'] as const)('the comparison lab, GraphQL batching (%s)', (lang) => {
  it('reads 3 users one operation each: GraphQL POST makes 3 round trips without batching and 1 with it, both rows from the captures', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/${lang}/compare`);
    await page.locator('[data-testid="compare-job"][value="by-id"]').check();
    await page.locator('[data-testid="compare-by-id-count"]').selectOption('3');
    await page.locator('[data-testid="compare-reps"]').selectOption('1');
    const chosen = ['rest', 'graphql-post', 'graphql-get'];
    for (const protocol of READ_PROTOCOLS.filter((name) => !chosen.includes(name)))
      await page.locator(`[data-testid="compare-protocol"][data-protocol="${protocol}"]`).uncheck();
    const rows = page.locator('[data-testid="compare-row"]');
    const runWith = async (batching: 'off' | 'on', rowsAfter: number) => {
      await page.locator('[data-testid="compare-graphql-batching"]').selectOption(batching);
      await page.locator('[data-testid="compare-run"]').click();
      await expect.poll(async () => (await enabledNow(page.locator('[data-testid="compare-run"]'))) && (await rows.count()), JOB_DONE).toBe(rowsAfter);
    };
    const graphqlRow = (protocol: string, batching: 'off' | 'on') =>
      page.locator(`[data-testid="compare-row"][data-protocol="${protocol}"][data-batching="${batching}"]`);
    const cell = (row: Locator, testId: string) => row.locator(`[data-testid="${testId}"]`).textContent();

    await runWith('off', 3);
    await expectBytesFromCaptures(page, chosen, (protocol) =>
      protocol === 'rest' ? page.locator('[data-testid="compare-row"][data-protocol="rest"]') : graphqlRow(protocol, 'off'),
    );
    expect(await cell(page.locator('[data-testid="compare-row"][data-protocol="rest"]'), 'compare-round-trips')).toBe('6');
    expect(await cell(graphqlRow('graphql-post', 'off'), 'compare-round-trips')).toBe('3');
    expect(await cell(graphqlRow('graphql-get', 'off'), 'compare-round-trips')).toBe('3');
    const sqlOneByOne = Number(await cell(graphqlRow('graphql-post', 'off'), 'compare-sql'));

    // Batching on: the rows without it stay, new ones join them (REST's is replaced).
    await runWith('on', 5);
    await expectBytesFromCaptures(page, ['graphql-post'], () => graphqlRow('graphql-post', 'on'));
    const batched = graphqlRow('graphql-post', 'on');
    expect(await cell(batched, 'compare-round-trips')).toBe('1');
    expect(await cell(batched, 'compare-batching')).toBe(lang === 'en' ? 'with batching' : 'с пакетной отправкой');
    expect(await cell(graphqlRow('graphql-post', 'off'), 'compare-batching')).toBe(lang === 'en' ? 'without batching' : 'без пакетной отправки');
    // One request carried all three operations: fewer bytes up than three requests.
    const runsOf = async (row: Locator) => JSON.parse((await row.getAttribute('data-runs')) ?? '[]') as RunData[];
    expect((await runsOf(batched))[0].up).toBeLessThan((await runsOf(graphqlRow('graphql-post', 'off')))[0].up);
    // The batch's own SQL count (the response header), not the sum of single answers: the shared loader read all posts at once.
    const sqlBatched = Number(await cell(batched, 'compare-sql'));
    expect(sqlOneByOne).toBe(6);
    expect(sqlBatched).toBe(4);
    // GraphQL GET cannot batch: its row says why, in the page's language.
    const getRow = graphqlRow('graphql-get', 'on');
    expect(await getRow.getAttribute('data-failed')).toBe('true');
    expect(await cell(getRow, 'compare-failure')).toContain(lang === 'en' ? 'a GET carries one operation' : 'GET несёт в адресе одну операцию');

    const claim = page.locator('[data-testid="compare-claim"][data-claim="graphql-round-trips"]');
    await expect.poll(() => attributeNow(claim, 'data-measured'), LIVE).toBe('true');
    expect(await claim.locator('dd').textContent()).toContain(
      lang === 'en'
        ? 'Batching, 3 users, one operation each: one by one 3 round trips'
        : 'Пакетная отправка, 3 пользователя, по операции на каждого: по одному — 3 обмена',
    );

    // The CSV says which row had batching on.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="compare-csv"]').click()]);
    const csv = (await readFile((await download.path())!, 'utf8')).split('\r\n');
    expect(csv[0]).toContain('job,users,protocol,graphql_batching,');
    expect(csv.filter((line) => line.startsWith('by-id,3,graphql-post,on,HTTP/1.1,1,'))).toHaveLength(1);
    expect(csv.filter((line) => line.startsWith('by-id,3,graphql-post,off,HTTP/1.1,1,'))).toHaveLength(1);
    await releasePage(page);
  }, 240_000);
});

describe('the comparison lab without recording', () => {
  it('says in Russian that the marker request was not captured, instead of showing made-up numbers', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/ru/compare`);
    const record = page.locator('[data-testid="insp-record"]');
    await expect.poll(() => enabledNow(record), LIVE).toBe(true);
    await record.click();
    // the server confirms: the switch shows what the server says
    await expect.poll(() => checkedNow(record), LIVE).toBe(false);
    for (const protocol of READ_PROTOCOLS.filter((name) => name !== 'rest'))
      await page.locator(`[data-testid="compare-protocol"][data-protocol="${protocol}"]`).uncheck();
    await page.locator('[data-testid="compare-reps"]').selectOption('1');
    await page.locator('[data-testid="compare-run"]').click();
    const row = page.locator('[data-testid="compare-row"][data-protocol="rest"]');
    // at once: the server confirmed recording is off, so no marker can come (once, the lab waited 10 s to say so)
    await expect.poll(() => attributeNow(row, 'data-failed'), LIVE).toBe('true');
    expect(await row.locator('[data-testid="compare-failure"]').textContent()).toContain('Запись выключена');
    await releasePage(page);
  }, 60_000);
});
