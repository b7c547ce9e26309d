import { describe, expect, it } from 'vitest';
import { openPage, useAppAndBrowser, releasePage } from './browser.ts';
import { attributeNow, cell, inspectorNode, LIVE, selectedMessage } from './lesson-page.ts';

// Issue 24, in Chromium: on /mqtt, Connect, Publish, open the browser's PUBLISH in the inspector
// and hover "fixed header". The browser masked the frame, so the wire bytes are not what MQTT
// read: the hover must light 0x34 in the unmasked block, not the masked byte on the wire.

const lab = useAppAndBrowser();

describe.each(['en', 'ru'] as const)('a masked PUBLISH in the %s inspector', (lang) => {
  it('lights the fixed header in the unmasked bytes, and shows the masked bytes too', async () => {
    const page = await openPage(lab.browser);
    await page.goto(`${lab.server.origin}/${lang}/mqtt`);
    const dashboard = cell(page, 'dashboard');
    await dashboard.locator('[data-testid="mqtt-connect"]').click();
    await expect.poll(() => attributeNow(dashboard.locator('[data-testid="mqtt-state"]'), 'data-state'), LIVE).toBe('connected');
    await dashboard.locator('[data-testid="mqtt-publish"]').click();
    const sent = dashboard.locator('[data-testid="rt-log-entry"][data-kind="sent"][data-packet="PUBLISH"]').first();
    await expect.poll(() => sent.count(), LIVE).toBe(1);
    await sent.locator('[data-testid="rt-log-link"]').click();
    await expect.poll(() => attributeNow(selectedMessage(page), 'data-layer'), LIVE).toBe('mqtt-packet');
    expect(await selectedMessage(page).getAttribute('data-dir')).toBe('in');

    const hex = page.locator('[data-testid="inspector"] [data-testid="insp-hex"]');
    await expect.poll(() => hex.locator('[data-testid="insp-hex-unmasked-title"]').count(), LIVE).toBe(1);
    expect(await hex.locator('[data-testid="insp-hex-unmasked-title"]').textContent()).toMatch(
      lang === 'ru' ? /Те же байты без маски/ : /The same bytes unmasked/,
    );

    const fixedHeader = inspectorNode(page, 'fixed-header');
    expect(await fixedHeader.textContent()).toContain('0x3');
    await fixedHeader.hover();
    const lit = hex.locator('[data-testid="insp-hex-byte"][data-highlighted="true"]');
    await expect.poll(() => lit.count(), LIVE).toBe(1);
    expect(await lit.getAttribute('data-view')).toBe('unmasked');
    const litText = (await lit.textContent())!;
    expect(await fixedHeader.textContent()).toContain(`0x${litText}`);
    expect(litText.charAt(0)).toBe('3');
    // the wire carries the masked bytes, not these: the unmasked block and the wire's bytes at the
    // same offsets differ (one byte alone may not: a mask byte of 0x00, one browser mask in 256)
    const offset = await lit.getAttribute('data-offset');
    const wire = hex.locator(`[data-testid="insp-hex-byte"][data-offset="${offset}"]:not([data-view])`);
    const bytesOf = (view: 'unmasked' | 'wire') =>
      hex
        .locator(`[data-testid="insp-hex-byte"]${view === 'unmasked' ? '[data-view="unmasked"]' : ':not([data-view])'}`)
        .evaluateAll((nodes) => nodes.map((node) => [node.getAttribute('data-offset'), node.textContent] as const));
    const unmasked = await bytesOf('unmasked');
    const onTheWire = new Map(await bytesOf('wire'));
    expect(unmasked.length).toBeGreaterThan(3);
    expect(unmasked.every(([at, text]) => onTheWire.get(at) === text)).toBe(false);

    // hovering the masked byte on the wire does not claim it is the fixed header
    await wire.hover();
    await expect.poll(() => page.locator('[data-testid="inspector"] [data-testid="insp-tree-node"].insp-lit').count(), LIVE).toBe(0);
    await hex.locator(`[data-testid="insp-hex-byte"][data-offset="${offset}"][data-view="unmasked"]`).hover();
    await expect
      .poll(() => attributeNow(page.locator('[data-testid="inspector"] [data-testid="insp-tree-node"].insp-lit'), 'data-kind'), LIVE)
      .toBe('packet-type'); // the deepest node over that byte: the fixed header's type bits
    await releasePage(page);
  });
});
