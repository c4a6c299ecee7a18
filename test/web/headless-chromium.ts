import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'artifacts', 'web');

/** Debian's chromium; the tests never download a browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** The gateway serves apps/web/dist: build it first when a source is newer (as npm test's setup does). */
export function buildWebAppIfStale(): void {
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'apps', 'web', 'build-if-stale.cjs')], { stdio: 'inherit' });
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions, except those `expected` allows. */
  errors(): string[];
  expect(allowed: (message: ConsoleMessage) => boolean): void;
  close(): Promise<void>;
}

/** A headless Chromium with a new, empty profile and one page, recording what it logs as errors. */
export async function openBrowser(viewport = { width: 1440, height: 900 }): Promise<BrowserSession> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (see .ci/run)`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-web-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport, acceptDownloads: true, locale: 'en-US', timezoneId: 'UTC',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  const allowances: ((message: ConsoleMessage) => boolean)[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error' || allowances.some((allowed) => allowed(message))) return;
    errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.stack ?? error.message}`));
  return {
    context,
    page,
    errors: () => [...errors],
    expect: (allowed) => allowances.push(allowed),
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The whole page, or (`fullPage: false`) what the viewport shows: a phone's screen as its reader sees it. */
export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, name);
  // The Japanese web font (campaign names) is fetched on first use: wait for it before the picture.
  await page.evaluate('document.fonts.load(\'14px "Noto Sans JP"\', "ホ").then(() => document.fonts.ready).then(() => true)');
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true, animations: 'disabled' });
  return file;
}
