import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { type App, buildTestApp } from '../helpers/app.js';
import { launchChromium, screenshotDir } from './chromium.js';

async function listen(app: App): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}

describe('/docs in a real browser', () => {
  let browser: Browser;
  let app: App;
  let tlsApp: App;
  before(async () => {
    browser = await launchChromium();
    app = await buildTestApp();
    tlsApp = await buildTestApp({ BEHIND_TLS: 'true' });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await tlsApp?.close();
  });

  it('should render the API documentation over plain HTTP (no upgrade-insecure-requests)', async () => {
    const base = await listen(app);
    const page = await browser.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    const res = await page.goto(`${base}/docs`, { waitUntil: 'networkidle' });
    const csp = res?.headers()['content-security-policy'] ?? '';
    assert.doesNotMatch(csp, /upgrade-insecure-requests/);
    await page.waitForSelector('.swagger-ui .info .title', { state: 'attached', timeout: 60_000 });
    assert.match((await page.textContent('.swagger-ui .info .title')) ?? '', /Registrar API/);
    // The operations are listed (rendered from the OpenAPI document).
    await page.waitForSelector('.opblock-tag', { state: 'attached', timeout: 60_000 });
    assert.ok((await page.locator('.opblock-tag').count()) >= 1);
    assert.deepEqual(failed, []);
    await page.screenshot({ path: join(screenshotDir, 'docs.png') });
    await page.close();
  });

  it('should send upgrade-insecure-requests (and HSTS) when the deployment is behind TLS', async () => {
    const base = await listen(tlsApp);
    const res = await fetch(`${base}/docs/`);
    assert.match(res.headers.get('content-security-policy') ?? '', /upgrade-insecure-requests/);
    assert.match(res.headers.get('strict-transport-security') ?? '', /max-age=\d+/);
  });
});
