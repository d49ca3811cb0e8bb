// What every end-to-end test file shares: where the built site is, a headless Chromium
// with the flags this machine needs, a watch on console errors, and opening the notebook
// and waiting until it is ready (the service worker has made the page cross-origin
// isolated, reloading it once on a first visit, and the kernel is idle).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './static-server.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = join(ROOT, 'dist');
export const SHOTS = join(ROOT, 'target', 'e2e');

/**
 * Serves `dir` (default dist/) under a sub-path, as GitHub Pages serves a project site,
 * adding `headers` to every response (none: a host that cannot set any).
 */
export const serveSite = (dir = DIST, headers = {}) => serve(dir, '/notebook/', headers);

/** Headless Chromium as this machine runs it, with `extraArgs` after the usual flags. */
export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** Collects page errors, console errors and failed responses of `page` into `errors`. */
export function watchErrors(page, errors) {
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
}

/**
 * Has every page of `target` (a browser context or a page) say on its console when it sets
 * one of the performance marks `names`, and returns `seen(page, name)`, which resolves when
 * it does. Waiting this way puts nothing in the page while it starts (polling with
 * `waitForFunction` injects Playwright's scripts into it and slows its start).
 */
export async function announceMarks(target, names) {
  await target.addInitScript((wanted) => {
    new PerformanceObserver((list) => {
      for (const mark of list.getEntries()) if (wanted.includes(mark.name)) console.debug(mark.name);
    }).observe({ type: 'mark', buffered: true });
  }, names);
  return (page, name, timeout = 30_000) =>
    page.waitForEvent('console', { predicate: (m) => m.text() === name, timeout });
}

/** Resolves when the page is isolated (service worker in control), the kernel is idle and
 * every cell is drawn (the page draws its cells a few per task: see `Drawing` in
 * src/page/mod.rs, whose `notebook-drawn` mark says when the last one is there). */
export async function notebookReady(page, timeout = 15_000) {
  await page.waitForFunction(
    () => navigator.serviceWorker?.controller != null && window.crossOriginIsolated,
    null,
    { timeout },
  );
  await page.locator('.kernel-status[data-state="idle"]').waitFor({ timeout });
  await page.waitForFunction(() => performance.getEntriesByName('notebook-drawn').length > 0, null, { timeout });
}

/** Opens `url` in `page` and waits until the notebook is ready. */
export async function openNotebook(page, url) {
  await page.goto(url);
  await notebookReady(page);
}

/** A screenshot of `target` (the page, or a locator) with every cell laid out. Cells off
 * screen skip layout and paint (`content-visibility: auto` in style.css) until a person
 * scrolls near them; a picture of the whole page or of a tall section must not show them
 * as empty boxes. The style is set through the CSSOM, which the page's CSP allows. */
export async function screenshotAllCells(page, target, options) {
  const setAll = (value) => page.$$eval('.cell', (cells, v) => {
    for (const c of cells) c.style.contentVisibility = v;
  }, value);
  await setAll('visible');
  try {
    await target.screenshot(options);
  } finally {
    await setAll('');
  }
}

/** The text of a cell's outputs as shown (innerText), without trailing blank lines. Cells
 * off screen are not laid out (`content-visibility: auto`) and innerText reads only what
 * is laid out, so the cell is laid out for the reading, as it is once scrolled to. */
export async function outputsText(cell) {
  return (await cell.locator('.outputs').evaluate((outputs) => {
    const box = outputs.closest('.cell');
    box.style.contentVisibility = 'visible';
    const text = outputs.innerText;
    box.style.contentVisibility = '';
    return text;
  })).trimEnd();
}

/** A cell's `In [n]:` prompt. textContent, not innerText: a cell off screen is not laid
 * out yet (content-visibility), and innerText reads only what is laid out. */
export const promptText = (cell) => cell.locator('.prompt').textContent();
