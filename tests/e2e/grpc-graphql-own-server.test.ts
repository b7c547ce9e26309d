// A gRPC cell and a GraphQL cell aimed at "my server" («Мой сервер»), in Russian: the gRPC cell's
// call is made by Wirelab's server to the Python gRPC starter over h2c (the cell shows the
// starter's answer and status as for Wirelab's own calls), a refusal is a fact; the GraphQL cell,
// on the same remembered choice, sends its query through Wirelab's relay to the Python GraphQL
// starter, whose schema differs from Wirelab's: its GraphQL error shows as GraphQL errors do; a
// subscription cell's WebSocket goes through Wirelab's relay to the same starter. And, in English:
// a call still waiting when the cell's address changes ends with its channel, not on the next call.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createH2cServer, type Http2Server, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PYTHON, startPythonStarter, STARTERS, type RunningStarter } from '../integration/own-server-starters.ts';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { cell, LIVE, textNow } from './lesson-page.ts';

const lab = useAppAndBrowser();
const stubs = mkdtempSync(join(tmpdir(), 'wirelab-grpc-stubs-'));
let grpcStarter: RunningStarter;
let graphqlStarter: RunningStarter;

beforeAll(async () => {
  await promisify(execFile)(PYTHON, [`${STARTERS}generate_grpc_stubs.py`, stubs]);
  [grpcStarter, graphqlStarter] = await Promise.all([startPythonStarter('grpc_server.py', '', { GRPC_STUBS: stubs }), startPythonStarter('graphql_server.py')]);
}, 30_000);
afterAll(async () => {
  await Promise.all([grpcStarter?.stop(), graphqlStarter?.stop()]);
  rmSync(stubs, { recursive: true, force: true });
});

describe('gRPC and GraphQL cells aimed at my server', () => {
  it('calls the Python starters through Wirelab’s server and tells what went wrong as a fact', async () => {
    const page = await openPage(lab.browser, { locale: 'ru-RU' });
    try {
      await page.goto(`${lab.server.origin}/ru/grpc`);
      const getUser = cell(page, 'get-user');
      await getUser.scrollIntoViewIfNeeded();
      await getUser.locator('[data-testid="own-target-mode"][value="mine"]').check();
      await getUser.locator('[data-testid="own-target-address"]').fill(`127.0.0.1:${grpcStarter.port}`);
      expect(await getUser.locator('[data-testid="grpc-own-server-note"]').textContent()).toContain(
        `к 127.0.0.1:${grpcStarter.port} делает сам сервер Wirelab`,
      );
      // the starter speaks native gRPC only: no protocol to choose
      expect(await getUser.locator('[data-testid="grpc-protocol"]').count()).toBe(0);
      await getUser.locator('[data-testid="cell-run"]').click();
      await expect.poll(() => textNow(getUser.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^0 OK/);
      expect(await getUser.locator('[data-testid="grpc-message"]').first().textContent()).toContain('Ada Lovelace');

      // the same choice in every cell: the missing user is the starter's NOT_FOUND, its own words
      const missing = cell(page, 'missing-user');
      await missing.scrollIntoViewIfNeeded();
      expect(await missing.locator('[data-testid="own-target-mode"][value="mine"]').isChecked()).toBe(true);
      await missing.locator('[data-testid="cell-run"]').click();
      await expect.poll(() => textNow(missing.locator('[data-testid="grpc-status"]')), LIVE).toMatch(/^5 NOT_FOUND/);
      expect(await missing.locator('[data-testid="grpc-call-log"]').textContent()).toContain('no such user');

      // nothing listening: a fact in Russian, not a stack trace
      await missing.locator('[data-testid="own-target-address"]').fill('127.0.0.1:1');
      await missing.locator('[data-testid="cell-run"]').click();
      await expect
        .poll(() => textNow(missing.locator('[data-testid="grpc-event-error"]')), LIVE)
        .toMatch(/В соединении отказано: по адресу 127\.0\.0\.1:1 никто не слушает/);

      await page.goto(`${lab.server.origin}/ru/graphql`);
      const first = cell(page, 'first-query');
      await first.scrollIntoViewIfNeeded();
      expect(await first.locator('[data-testid="own-target-mode"][value="mine"]').isChecked()).toBe(true);
      await first.locator('[data-testid="own-target-address"]').fill(`127.0.0.1:${graphqlStarter.port}`);
      expect(await first.locator('[data-testid="graphql-own-server-note"]').textContent()).toMatch(/схему Wirelab, а не вашего сервера/);
      await first.locator('[data-testid="cell-run"]').click();
      // Wirelab's schema has User.status, the starter's has not: its answer, as a GraphQL error
      await expect.poll(() => textNow(first.locator('[data-testid="graphql-error"]').first()), LIVE).toMatch(/status/);
      expect(await first.locator('[data-testid="graphql-source"]').textContent()).toMatch(/POST \/graphql/);

      // a query the starter's schema has: its data
      await first.locator('[data-testid="graphql-editor-ready"]').waitFor(LIVE);
      await page.evaluate((id) => window.__wirelabEditors!.get(id)!.setValue('{ users(first: 2) { __typename } }'), 'first-query');
      await first.locator('[data-testid="cell-run"]').click();
      await expect.poll(() => textNow(first.locator('[data-testid="graphql-data"]')), LIVE).toContain('UserConnection');

      // a subscription goes through Wirelab's WebSocket relay to the starter's /graphql: the
      // starter's own answer (its schema has userChanged, not postAdded) comes back as a GraphQL error
      const subscription = cell(page, 'post-added');
      await subscription.scrollIntoViewIfNeeded();
      expect(await subscription.locator('[data-testid="graphql-own-server-note"]').textContent()).toMatch(
        /Подписка идёт через сервер Wirelab: он открывает \/graphql на вашем сервере 127\.0\.0\.1:\d+/,
      );
      await subscription.locator('[data-testid="cell-run"]').click();
      await expect.poll(() => textNow(subscription.locator('[data-testid="graphql-event"]').first()), LIVE).toMatch(/postAdded/);
    } finally {
      await releasePage(page);
    }
  }, 90_000);

  it('ends a call still waiting on my server when the address changes, and the next call shows only its own outcome', async () => {
    // a server that takes the call and never answers it: the call waits until the cell lets it go
    const silent: Http2Server = createH2cServer();
    // (Wirelab's server cancels the call as the cell lets it go: that reset is no failure here)
    const sessions = new Set<ServerHttp2Session>();
    silent.on('session', (session) => {
      sessions.add(session);
      session.on('error', () => {});
    });
    silent.on('stream', (stream) => stream.on('error', () => {}));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const page = await openPage(lab.browser);
    try {
      await page.goto(`${lab.server.origin}/en/grpc`);
      const missing = cell(page, 'missing-user');
      await missing.scrollIntoViewIfNeeded();
      await missing.locator('[data-testid="own-target-mode"][value="mine"]').check();
      await missing.locator('[data-testid="own-target-address"]').fill(`127.0.0.1:${(silent.address() as AddressInfo).port}`);
      await missing.locator('[data-testid="cell-run"]').click();
      await missing.locator('[data-testid="grpc-cancel"]:enabled').waitFor(LIVE);

      // another address is another runner channel: the call on the old one ends with it, at once
      await missing.locator('[data-testid="own-target-address"]').fill('127.0.0.1:1');
      await expect.poll(() => textNow(missing.locator('[data-testid="grpc-event-error"]')), LIVE).toMatch(/The runner channel closed \(code 1000\)/);
      expect(await missing.locator('[data-testid="grpc-cancel"]').isEnabled()).toBe(false);

      // and the old channel's close, whenever it comes, is not the next call's: one error, its own
      await missing.locator('[data-testid="cell-run"]').click();
      await expect
        .poll(() => textNow(missing.locator('[data-testid="grpc-event-error"]')), LIVE)
        .toMatch(/Connection refused: nothing listens at 127\.0\.0\.1:1/);
    } finally {
      await releasePage(page);
      // a session Wirelab's server still held open would keep close() waiting
      for (const session of sessions) session.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
