import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../integration/start-server.ts';
import { assertBuilt, launchTestBrowser, openPage, WEB_ROOT, releasePage } from './browser.ts';
import { cell, editorText, exerciseState, exerciseStateNow, LIVE, setEditorText, textNow } from './lesson-page.ts';

// Lesson 03's code generation section in real Chromium: the .proto and the TypeScript that
// protoc-gen-es generated are shown from the repository's real files, and the enum exercise
// passes only once the request spells the value as the JSON mapping does (the server
// silently skips an enum name it does not know).

let server: RunningServer;
let browser: Browser;
const generated = readFileSync(join(import.meta.dirname, '..', '..', 'proto', 'gen', 'wirelab', 'users', 'v1', 'users_pb.ts'), 'utf8');

beforeAll(async () => {
  assertBuilt();
  server = await startServer({ webRoot: WEB_ROOT });
  browser = await launchTestBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('lesson 03: code generation', () => {
  for (const lang of ['en', 'ru']) {
    it(`shows the .proto and the generated code from the repository (${lang})`, async () => {
      const page = await openPage(browser);
      await page.goto(`${server.origin}/${lang}/protocol-buffers`);
      const blocks = page.locator('pre');
      await expect
        .poll(() => blocks.allTextContents(), LIVE)
        .toEqual(
          expect.arrayContaining([
            expect.stringContaining('// proto/gen/wirelab/users/v1/users_pb.ts'),
            expect.stringContaining('// proto/wirelab/users/v1/users.proto'),
          ]),
        );
      const shown = (await blocks.allTextContents()).find((text) => text.includes('users_pb.ts'))!;
      // Exactly the committed generated declaration, not a copy.
      const typeStart = generated.indexOf('export type User = Message<"wirelab.users.v1.User"> & {');
      const typeEnd = generated.indexOf('\n};', typeStart) + 3;
      expect(shown).toContain(generated.slice(typeStart, typeEnd));
      expect(shown).toMatch(/export const UserSchema: GenMessage<User/);
      await releasePage(page);
    });
  }

  it('the enum exercise: the TypeScript name is silently ignored, the JSON name passes', async () => {
    const page = await openPage(browser);
    await page.goto(`${server.origin}/en/protocol-buffers`);
    const target = cell(page, 'ban-user');
    await target.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => textNow(target.locator('[data-testid="response-status"]')), LIVE).toMatch(/200/);
    expect(await target.locator('[data-testid="response-body"]').textContent()).toContain('USER_STATUS_ACTIVE');
    expect(await exerciseState(page, 'generated-enum-json')).not.toBe('passed');
    await setEditorText(page, 'ban-user', (await editorText(page, 'ban-user')).replace('"BANNED"', '"USER_STATUS_BANNED"'));
    await target.locator('[data-testid="cell-run"]').click();
    await expect.poll(() => exerciseStateNow(page, 'generated-enum-json'), LIVE).toBe('passed');
    await releasePage(page);
  });
});
