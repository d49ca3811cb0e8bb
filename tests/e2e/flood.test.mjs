// End-to-end: a flood of display updates. Cell A29, asked for FLOOD_FILES files of 128
// bytes with no pause between them, moves its progress bar once per file: two runs make
// 10,000 updates (FLOOD_FILES and FLOOD_RUNS change that). A `longtask` observer on the page must see no task over 250 ms while
// they run, the page must answer a trivial script at once throughout, the bar ends on the
// last state (drawn as a <progress>, not an image), and Stop pressed in the middle of a
// third run shows "stopped" within a second. Saves target/e2e/flood-progress.png (the
// cell after the flood) and flood-stopped.png (after Stop).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SHOTS, launchChromium, openNotebook, outputsText, serveSite, watchErrors } from './harness.mjs';

/** Files per run: A29's most, one progress update each. */
const FLOOD_FILES = Number(process.env.FLOOD_FILES ?? 5000);
/** Runs of the flood (the same files written again): FLOOD_FILES × FLOOD_RUNS updates. */
const FLOOD_RUNS = Number(process.env.FLOOD_RUNS ?? 2);
/** The longest task the page may run while the flood comes in (ms). */
const MAX_TASK_MS = 250;
/** How long Stop may take to show "stopped" (ms). */
const STOP_MS = 1000;

let server;
let browser;
let page;
const pageErrors = [];

before(async () => {
  server = await serveSite();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 1300 } });
  watchErrors(page, pageErrors);
  // Every long task of the page, from its start (those of the start-up are left out below).
  await page.addInitScript(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => {
      for (const task of list.getEntries()) window.longTasks.push({ start: task.startTime, ms: task.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await openNotebook(page, server.url);
  await mkdir(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const a29 = () => page.locator('article#A29');

async function fill(values) {
  for (const [name, value] of Object.entries(values)) {
    await a29().locator(`input[name="${name}"]`).fill(String(value));
  }
}

/** The long tasks that started after `since` (the page's clock). */
const longTasksSince = (since) => page.evaluate((t) => window.longTasks.filter((task) => task.start >= t), since);

/** Runs `during` while asking the page for a trivial answer every 100 ms; returns its result
 * and the longest the page took to answer. */
async function timingAnswers(during) {
  let slowest = 0;
  let done = false;
  const asking = (async () => {
    while (!done) {
      const asked = Date.now();
      await page.evaluate(() => 1);
      slowest = Math.max(slowest, Date.now() - asked);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    return { result: await during(), slowest };
  } finally {
    done = true;
    await asking;
  }
}

test(`${FLOOD_FILES * FLOOD_RUNS} progress updates keep every task of the page under ${MAX_TASK_MS} ms`, async (t) => {
  const bar = a29().locator('.outputs label.progress progress');
  for (let run = 1; run <= FLOOD_RUNS; run++) {
    await fill({ folder: 'flood', files: FLOOD_FILES, size: 128, pause: 0 });
    const since = await page.evaluate(() => performance.now());
    const { result: ms, slowest } = await timingAnswers(async () => {
      const started = Date.now();
      await a29().getByRole('button', { name: 'Run cell A29', exact: true }).click();
      await page.locator('article#A29[data-state="running"]').waitFor();
      await page.locator('article#A29[data-state="done"]').waitFor({ timeout: 180_000 });
      return Date.now() - started;
    });
    const long = await longTasksSince(since);
    t.diagnostic(`run ${run}: ${FLOOD_FILES} updates in ${ms} ms; the page answered within ${slowest} ms at worst; `
      + `long tasks: ${JSON.stringify(long.map((task) => Math.round(task.ms)))}`);
    assert.deepEqual(long.filter((task) => task.ms > MAX_TASK_MS), [], `no task over ${MAX_TASK_MS} ms`);
    assert.ok(slowest < 1000, `the page answered a trivial script within ${slowest} ms`);
    assert.equal(await bar.getAttribute('value'), String(FLOOD_FILES), 'the bar ends on the last state');
    assert.equal(await bar.getAttribute('max'), String(FLOOD_FILES));
  }
  const text = await outputsText(a29());
  assert.match(text, new RegExp(`^files written: ${FLOOD_FILES}/${FLOOD_FILES} \\(100%\\)\\nWrote ${FLOOD_FILES} files`));
  assert.equal(await a29().locator('.outputs img').count(), 0, 'the bar is no image');
  assert.equal(await a29().locator('.outputs label.progress').count(), 1, 'one bar, updated in place');
  await a29().screenshot({ path: join(SHOTS, 'flood-progress.png') });
});

test(`Stop in the middle of a flood shows "stopped" within ${STOP_MS} ms`, async (t) => {
  await fill({ folder: 'flood', files: FLOOD_FILES, size: 128, pause: 0 });
  const bar = a29().locator('.outputs label.progress progress');
  await a29().getByRole('button', { name: 'Run cell A29', exact: true }).click();
  await page.locator('article#A29[data-state="running"]').waitFor();
  await page.waitForFunction(() => {
    const value = document.querySelector('#A29 .outputs progress')?.getAttribute('value');
    return Number(value) >= 500;
  }, null, { timeout: 30_000 });
  const pressed = Date.now();
  await page.getByRole('button', { name: 'Stop the running cell' }).click();
  await page.locator('article#A29[data-state="stopped"]').waitFor({ timeout: 10_000 });
  const took = Date.now() - pressed;
  const reached = Number(await bar.getAttribute('value'));
  t.diagnostic(`Stop showed "stopped" after ${took} ms, at file ${reached} of ${FLOOD_FILES}`);
  assert.ok(took <= STOP_MS, `Stop took ${took} ms`);
  assert.ok(reached > 0 && reached < FLOOD_FILES, `stopped in the middle (${reached})`);
  const text = await outputsText(a29());
  assert.match(text, new RegExp(`^files written: ${reached}/${FLOOD_FILES} \\(\\d+%\\)\\n`), 'the bar and its text agree');
  assert.match(text, /KeyboardInterrupt: stopped by the Stop button/, 'the kernel stopped the cell (no restart)');
  await a29().screenshot({ path: join(SHOTS, 'flood-stopped.png') });
});

test('no errors reached the console', () => {
  assert.deepEqual(pageErrors, []);
});
