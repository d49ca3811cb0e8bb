// End-to-end: the service worker. On a plain static server that sends no headers, the
// page becomes cross-origin isolated (the worker adds COOP/COEP), opens and runs a cell
// with the network cut after the first visit, and a new deployment replaces the cached one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, launchChromium, notebookReady, serveSite, watchErrors } from './harness.mjs';

let site; // a copy of dist/, so the test can "deploy" a new version
let server;
let browser;
let context;
let page;
const pageErrors = [];

before(async () => {
  site = await mkdtemp(join(tmpdir(), 'notebook-site-'));
  await cp(DIST, site, { recursive: true });
  server = await serveSite(site);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  page = await context.newPage();
  watchErrors(page, pageErrors);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

const kernelIdle = () => page.locator('.kernel-status[data-state="idle"]').waitFor({ timeout: 15_000 });
const cacheNames = () => page.evaluate(() => caches.keys());

async function runA1() {
  await page.getByRole('button', { name: 'Run cell A1', exact: true }).click();
  await page.locator('article#A1[data-state="done"]').waitFor({ timeout: 10_000 });
  return page.locator('article#A1 .outputs').innerText();
}

test('the first visit installs the service worker and the page becomes cross-origin isolated', async () => {
  await page.goto(server.url);
  // The worker takes control, and the page reloads itself once to be isolated.
  await notebookReady(page);
  const names = await cacheNames();
  assert.equal(names.length, 1);
  assert.match(names[0], /^notebook-[0-9a-f]{16}$/);
  assert.match(await runA1(), /^File content:/);
});

test('with the network cut, the page reloads from the cache and a cell runs', async () => {
  await context.setOffline(true);
  await page.reload();
  await kernelIdle();
  assert.equal(await page.evaluate(() => window.crossOriginIsolated), true);
  assert.match(await runA1(), /^File content:/);
  await context.setOffline(false);
});

test('a new deployment replaces the cached one cleanly', async () => {
  const old = (await cacheNames())[0];
  const index = join(site, 'index.html');
  await writeFile(index, (await readFile(index, 'utf8')).replace('<title>', '<title>v2 '));
  const sw = join(site, 'sw.js');
  await writeFile(sw, (await readFile(sw, 'utf8')).replace(/const VERSION = '([0-9a-f]+)'/, "const VERSION = '0000$1'"));
  await page.reload();
  assert.match(await page.title(), /^v2 /, 'the page is fetched from the network first');
  await page.waitForFunction(async (oldName) => {
    const names = await caches.keys();
    return names.length === 1 && names[0] !== oldName;
  }, old, { timeout: 15_000 });
  await kernelIdle();
  assert.match(await runA1(), /^File content:/);
});

test('no errors reached the console', () => {
  // Cutting the network makes Chromium log the failed page fetch the worker answers from
  // its cache; nothing else may appear.
  const unexpected = pageErrors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e));
  assert.deepEqual(unexpected, []);
});
