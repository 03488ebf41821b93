import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type App, buildTestApp } from '../helpers/app.js';
import { PASSWORD } from '../helpers/factories.js';
import { screenshotDir } from './chromium.js';

/**
 * Helpers of the console's browser tests: the app listening on a free port (serving web/dist, built by
 * `npm run test:browser`'s pretest step), a fresh browser context per person, and signing in through the
 * sign-in screen like a user does.
 */
export async function startConsole(): Promise<{ app: App; base: string }> {
  const app = await buildTestApp();
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  return { app, base: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}

export const PHONE = { width: 390, height: 844 };

export async function signIn(
  browser: Browser,
  base: string,
  username: string,
  opts: { viewport?: { width: number; height: number }; password?: string } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/`);
  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password').fill(opts.password ?? PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { context, page, errors };
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

export function localDate(d = new Date()): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * Accessibility basics of the screen shown: every form control has a label (or an aria-label), every
 * button a name, every image-like SVG a label, and the page has exactly one h1.
 */
export async function assertAccessible(page: Page) {
  const problems = await page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLInputElement | HTMLSelectElement>(
      'input, select, textarea',
    )) {
      if (el.type === 'hidden') continue;
      if (!el.labels?.length && !el.getAttribute('aria-label'))
        out.push(`unlabelled ${el.tagName} ${el.name}`);
    }
    for (const b of document.querySelectorAll<HTMLElement>('button, a[href]')) {
      if (!(b.getAttribute('aria-label') || b.textContent || '').trim())
        out.push(`nameless ${b.outerHTML.slice(0, 80)}`);
    }
    for (const s of document.querySelectorAll('svg[role="img"]')) {
      if (!s.getAttribute('aria-label')) out.push('unlabelled chart');
    }
    const h1 = document.querySelectorAll('h1').length;
    if (h1 !== 1) out.push(`${h1} h1 elements`);
    return out;
  });
  if (problems.length) throw new Error(`accessibility: ${problems.join('; ')}`);
}
