// End-to-end: a prompt's and a breakpoint box's listeners go with them. U3 is answered 200
// times and C1 continued at 200 stops; the page's event listeners, DOM nodes and JavaScript
// heap are measured over CDP after a full garbage collection, once after a warm-up and again
// after the 200, and must not grow with them. A listener that is never removed keeps its
// closure for the life of the page, and a prompt's closure keeps its field and label: 200
// of them are 200 listeners, about 1,400 nodes and some 65 KB of heap; the three closures
// of 200 breakpoint boxes, about 120 KB of heap. Saves screenshots of a prompt and of a
// breakpoint box to target/e2e/prompt.png and breakpoint-box.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SHOTS, launchChromium, openNotebook, serveSite, watchErrors } from './harness.mjs';

/** How many prompts are answered and stops continued between the two measures. */
const ROUNDS = 200;
/** Growth allowed across ROUNDS: a few listeners or nodes, and a heap bound well under what
 * ROUNDS leaked closures hold (the figures above), well over what the page's own moving
 * parts leave (1 to 8 KB in runs of this test). */
const MAX_LISTENER_GROWTH = 4;
const MAX_NODE_GROWTH = 40;
const MAX_HEAP_GROWTH = 32 * 1024;
/** The engine's optimizing tiers are off for this test: the code they compile as the page
 * warms up is kept in the same heap (60 to 100 KB over 200 rounds), which would hide a leak
 * of that size. Bytecode and baseline WebAssembly are compiled once, before the warm-up ends. */
const ENGINE_FLAGS = '--js-flags=--liftoff-only --no-opt --no-maglev --no-sparkplug';

let server;
let browser;
let page;
let cdp;
const pageErrors = [];

before(async () => {
  server = await serveSite();
  browser = await launchChromium([ENGINE_FLAGS]);
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  watchErrors(page, pageErrors);
  await openNotebook(page, server.url);
  cdp = await page.context().newCDPSession(page);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const cell = (id) => page.locator(`article#${id}`);

async function waitState(id, state, timeout = 10_000) {
  await page.locator(`article#${id}[data-state="${state}"]`).waitFor({ timeout });
}

/** The page's event listeners and DOM nodes, and its JavaScript heap in bytes (and the DOM's
 * heap, only reported: it moves by tens of KB between two collections of the same page),
 * after a full garbage collection. */
async function measure() {
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  const { jsEventListeners, nodes } = await cdp.send('Memory.getDOMCounters');
  const { usedSize, embedderHeapUsedSize } = await cdp.send('Runtime.getHeapUsage');
  return { listeners: jsEventListeners, nodes, heap: usedSize, domHeap: embedderHeapUsedSize };
}

/** Asserts the growth from `before` to `after` is within the bounds, and logs it. */
function assertNoGrowth(t, what, before, after) {
  const grown = Object.fromEntries(Object.keys(before).map((key) => [key, after[key] - before[key]]));
  t.diagnostic(`${what}: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}, `
    + `grown ${JSON.stringify(grown)}`);
  assert.ok(grown.listeners <= MAX_LISTENER_GROWTH, `${what}: ${grown.listeners} more event listeners`);
  assert.ok(grown.nodes <= MAX_NODE_GROWTH, `${what}: ${grown.nodes} more DOM nodes`);
  assert.ok(grown.heap < MAX_HEAP_GROWTH, `${what}: the JavaScript heap grew by ${grown.heap} bytes`);
}

/** Runs U3 `times` times and answers its prompt each time. The first run is driven as a
 * person would (a click, typing, Enter); the rest by a loop in the page, which does the
 * same through the DOM (`click()`, the field's value, a keydown of Enter) in a tenth of the
 * time Playwright's waits for each action take. */
async function answerPrompts(times, shot) {
  const field = cell('U3').locator('.stdin input');
  await cell('U3').getByRole('button', { name: 'Run cell U3' }).click();
  await field.waitFor();
  if (shot) await cell('U3').screenshot({ path: join(SHOTS, 'prompt.png') });
  await page.keyboard.insertText('name 0');
  await page.keyboard.press('Enter');
  await waitState('U3', 'done');
  await page.evaluate(async (times) => {
    const cell = document.getElementById('U3');
    const until = (ready) => new Promise((resolve, reject) => {
      const deadline = performance.now() + 10_000;
      const check = () => {
        if (ready()) resolve();
        else if (performance.now() > deadline) reject(new Error(`U3 is ${cell.dataset.state}`));
        else setTimeout(check, 0);
      };
      check();
    });
    for (let i = 1; i < times; i++) {
      cell.querySelector('button.run').click();
      await until(() => cell.querySelector('.stdin input'));
      const answer = cell.querySelector('.stdin input');
      answer.value = `name ${i}`;
      answer.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      await until(() => cell.dataset.state === 'done');
    }
  }, times);
  const said = await cell('U3').locator('.outputs').textContent();
  assert.ok(said.includes(`Hello, name ${times - 1}!`), said);
}

/** Runs C1 (ten turns, a stop at each) until it has stopped `stops` times, pressing Enter on
 * the focused Continue at each stop; then clears its output (a table per stop). */
async function continueStops(stops, shot) {
  const turns = 10;
  await cell('C1').locator('input[name="n"]').fill(String(turns));
  const title = cell('C1').locator('.outputs .breakpoint .breakpoint-title');
  for (let run = 0; run < stops / turns; run++) {
    await cell('C1').getByRole('button', { name: 'Run cell C1' }).click();
    for (let hit = 1; hit <= turns; hit++) {
      await title.filter({ hasText: new RegExp(`\\(hit ${hit}\\)$`) }).waitFor();
      if (shot && run === 0 && hit === 2) await cell('C1').screenshot({ path: join(SHOTS, 'breakpoint-box.png') });
      await page.keyboard.press('Enter');
    }
    await waitState('C1', 'done');
  }
  assert.equal(await cell('C1').locator('.outputs table caption').count(), turns, 'a table per stop');
  await cell('C1').getByRole('button', { name: 'Clear output of cell C1' }).click();
}

test(`${ROUNDS} answered prompts leave no listener, node or closure behind`, async (t) => {
  await mkdir(SHOTS, { recursive: true });
  await answerPrompts(20, true);
  const before = await measure();
  await answerPrompts(ROUNDS);
  assertNoGrowth(t, 'prompts', before, await measure());
});

test(`${ROUNDS} breakpoint stops leave no listener, node or closure behind`, async (t) => {
  await continueStops(20, true);
  const before = await measure();
  await continueStops(ROUNDS);
  assertNoGrowth(t, 'breakpoints', before, await measure());
});

test('no errors reached the console', async () => {
  assert.deepEqual(pageErrors, []);
});
