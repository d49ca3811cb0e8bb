// End-to-end: sections F (threads) and G (processes) of the release site in dist/, served
// from a sub-path on loopback with the cross-origin isolation headers of www/_headers, in
// headless Chromium. Cells run one by one on real web workers; their outputs are checked,
// the order where the exercise fixes one, and F2's numbers for arriving live. Times are
// printed by the cells, not asserted, except for generous bounds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIST, launchChromium, openNotebook, serveSite, watchErrors } from './harness.mjs';
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

let server;
let browser;
let page;
const pageErrors = [];

before(async () => {
  server = await serveSite(DIST, ISOLATION);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  watchErrors(page, pageErrors);
  await openNotebook(page, server.url);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const cell = (id) => page.locator(`article#${id}`);
/** What the cell printed (its text outputs, not its charts or tables). */
const printed = async (id) => (await cell(id).locator('.outputs pre.stdout').allTextContents()).join('');
const printedLines = async (id) => (await printed(id)).split('\n').filter((line) => line !== '');

async function setInput(id, name, value) {
  await cell(id).locator(`input[name="${name}"]`).fill(value);
}

/** Runs cell `id` and waits until it has ended; fails if it ended with an error. */
async function run(id, timeout = 30_000) {
  const before = await cell(id).locator('.prompt').textContent();
  await cell(id).getByRole('button', { name: `Run cell ${id}`, exact: true }).click();
  await page.waitForFunction(
    ([cellId, prompt]) => {
      const article = document.querySelector(`article#${cellId}`);
      return article.querySelector('.prompt').textContent !== prompt
        && ['done', 'error', 'stopped'].includes(article.dataset.state);
    },
    [id, before],
    { timeout },
  );
  const state = await cell(id).getAttribute('data-state');
  const errors = await cell(id).locator('.outputs pre.error').allTextContents();
  assert.equal(state, 'done', `${id} ended as ${state}: ${errors.join('\n')}`);
}

test('sections F and G follow B, every row a cell', async () => {
  const sections = await page.locator('section h2').allInnerTexts();
  const at = (title) => sections.indexOf(title);
  assert.ok(at('B. Logging') >= 0 && at('B. Logging') < at('F. Threads'), sections.join(' | '));
  assert.ok(at('F. Threads') < at('G. Multiprocessing'), sections.join(' | '));
  for (const id of ['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'G1', 'G2', 'G3', 'G4', 'G5', 'G6', 'G7', 'G8', 'G9']) {
    assert.equal(await cell(id).count(), 1, `${id} is on the page`);
  }
});

test('F2: the thread\'s numbers arrive live, one a pause, then the main thread goes on', async () => {
  // Record when each version of the output appears.
  await page.evaluate(() => {
    window.f2Seen = [];
    const outputs = document.querySelector('article#F2 .outputs');
    new MutationObserver(() => window.f2Seen.push([performance.now(), outputs.innerText]))
      .observe(outputs, { childList: true, subtree: true, characterData: true });
  });
  await run('F2', 20_000);
  assert.deepEqual(await printedLines('F2'), [
    'Number: 0', 'Number: 1', 'Number: 2', 'Number: 3', 'Number: 4', 'The thread has finished.',
  ]);
  const seen = await page.evaluate(() => window.f2Seen);
  const firstTime = (text) => seen.find(([, output]) => output.includes(text))?.[0];
  const times = ['Number: 0', 'Number: 1', 'Number: 2', 'Number: 3', 'Number: 4', 'finished'].map(firstTime);
  assert.ok(times.every((t) => t !== undefined), 'every line was seen arriving');
  for (let i = 1; i < times.length; i += 1) assert.ok(times[i] >= times[i - 1], 'in order');
  // Live: the output showed the first numbers alone, long before the thread ended.
  const beforeEnd = seen.filter(([, output]) => output.includes('Number: 1') && !output.includes('Number: 2'));
  assert.ok(beforeEnd.length > 0, 'Number: 1 was shown before Number: 2 existed');
  const spread = times[4] - times[0];
  assert.ok(spread > 2_500 && spread < 15_000, `four pauses of 1 s lie between Number: 0 and Number: 4 (${spread} ms)`);
});

test('F3: the same primes alone, on threads and on real worker processes; chart and timeline', async () => {
  await setInput('F3', 'limit', '4000000');
  await setInput('F3', 'workers', '2');
  await run('F3', 60_000);
  const text = await printed('F3');
  // 283146 primes below four million, whichever way they are counted (long enough jobs
  // for the workers' time at work to overlap however busy the machine is).
  assert.match(text, /the main thread alone: 283146 primes in \d+ ms/);
  assert.match(text, /2 threads: +283146 primes in \d+ ms/);
  assert.match(text, /2 processes: +283146 primes in \d+ ms \(starting and warming them up took [\d.]+ ms before\)/);
  assert.equal(await cell('F3').locator('img.chart').count(), 2, 'a bar chart and a timeline');
  console.log(`F3 in Chromium:\n${text}`);

  // Parallelism proved from the times the cell recorded, not from a timing threshold.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const [, threadsAtOnce, processesAtOnce] = text.match(/Most at work at one instant: threads (\d+) of 2, processes (\d+) of 2\./);
  assert.equal(threadsAtOnce, '1', 'the threads took turns: never two computing at the same instant');
  const timeline = await cell('F3').locator('img.chart').nth(1).getAttribute('alt');
  // The processes' lanes, from the timeline's data: `  SpawnPoolWorker-1: count_primes ×1 from 12 to 30 ms`.
  const bars = [...timeline.matchAll(/^ {2}(SpawnPoolWorker-\d+): count_primes ×1 from (\d+) to (\d+) ms$/gm)]
    .map(([, worker, from, to]) => ({ worker, from: Number(from), to: Number(to) }));
  assert.ok(bars.length >= 2 + 8, `a bar per warm-up and per job:\n${timeline}`);
  // Two workers busy at the same instant: bars of different workers overlapping by 2 ms
  // or more (each end is rounded to the millisecond).
  const overlapping = bars.some((a) => bars.some((b) => a.worker !== b.worker && Math.min(a.to, b.to) - Math.max(a.from, b.from) >= 2));
  if (cores >= 2) {
    assert.equal(processesAtOnce, '2', `with ${cores} cores the two workers were at work at once`);
    assert.ok(overlapping, `two workers' bars overlap in the timeline:\n${timeline}`);
    assert.match(text, new RegExp(`Speed-up over the main thread alone: threads [\\d.]+x, processes [\\d.]+x \\(${cores} processors reported\\)\\.`));
  } else {
    assert.match(text, /The browser reports 1 processor \(navigator\.hardwareConcurrency\): nothing ran side by side, so this is no speed-up\./);
    assert.doesNotMatch(text, /Speed-up/);
  }
});

test('G1: the processor count is the one the browser reports', async () => {
  await setInput('G1', 'processes', '2');
  await setInput('G1', 'limit', '200000');
  await run('G1', 60_000);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const processors = cores === 1 ? '1 processor' : `${cores} processors`;
  assert.equal((await printedLines('G1'))[0], `The browser reports ${processors} (navigator.hardwareConcurrency). Starting 2 processes.`);
});

test('F4: numbers and letters interleave live in the order of the exercise', async () => {
  await run('F4', 30_000);
  assert.deepEqual(await printedLines('F4'), [
    'Number: 0', 'Letter: A', 'Number: 1', 'Letter: B', 'Number: 2', 'Number: 3', 'Letter: C',
    'Number: 4', 'Letter: D', 'Letter: E', 'Both threads have finished.',
  ]);
  const timeline = await cell('F4').locator('img.chart').getAttribute('alt');
  assert.match(timeline, /thread numbers/);
  assert.match(timeline, /thread letters/);
});

test('G3: processes A and B start, complete side by side, then the parent reports', async () => {
  const started = Date.now();
  await run('G3', 30_000);
  const elapsed = Date.now() - started;
  const lines = await printedLines('G3');
  assert.equal(lines.length, 5, lines.join('\n'));
  assert.deepEqual(lines.slice(0, 2).sort(), ['Process A started', 'Process B started']);
  assert.deepEqual(lines.slice(2, 4).sort(), ['Process A completed', 'Process B completed']);
  assert.equal(lines[4], 'All 2 processes have finished.');
  // Two sleeps of 2 s side by side take about 2 s, not 4 (generous bounds).
  assert.ok(elapsed > 1_900 && elapsed < 20_000, `${elapsed} ms`);
  assert.match(await cell('G3').locator('img.chart').getAttribute('alt'), /Process-A: start_sleep_complete/);
});

test('G5: starmap on a pool of four gives the results list', async () => {
  await run('G5');
  assert.deepEqual(await printedLines('G5'), [
    "pool.starmap(repeat_text, [(1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')])",
    "['a', 'bb', 'ccc', 'dddd']",
  ]);
});

test('G7: pool.map(square, [1, 2, 3, 4, 5])', async () => {
  await run('G7');
  assert.equal(await printed('G7'), '[1, 4, 9, 16, 25]\n');
  await setInput('G7', 'numbers', '1, two');
  await cell('G7').getByRole('button', { name: 'Run cell G7', exact: true }).click();
  await page.locator('article#G7 .outputs pre.error', { hasText: "invalid literal for int() with base 10: 'two'" }).waitFor();
  await setInput('G7', 'numbers', '1, 2, 3, 4, 5');
});

test('G8: a queue, a pipe, shared numbers and a manager carry data between workers', async () => {
  const isolated = await page.evaluate(() => window.crossOriginIsolated);
  assert.equal(isolated, true, 'the headers make the page cross-origin isolated');
  await run('G8', 30_000);
  const lines = await printedLines('G8');
  assert.equal(lines[0], '1. Queue');
  assert.match(lines[1], /^ {3}the parent got 'item 1 from Process-\d+'$/);
  assert.match(lines[3], /^ {3}the parent got 'item 3 from Process-\d+'$/);
  assert.equal(lines[4], '2. Pipe');
  assert.match(lines[5], /^ {3}sent 'hello', received: Process-\d+ heard 'hello' and answers 'HELLO'$/);
  assert.match(lines[6], /heard 'pipe' and answers 'PIPE'$/);
  assert.equal(lines[7], '3. Shared value and array');
  assert.equal(lines[8], '   4 workers added 1, 250 times each: the counter is 1000 (shared memory, atomics)');
  assert.equal(lines[9], '   the array [1, 2, 3, 4, 5], squared in place by the workers: [1, 4, 9, 16, 25]');
  assert.equal(lines[10], '4. Manager');
  assert.match(lines[11], /^ {3}dict\['first'\] = \d+ \(the pid of the worker that set it\)$/);
  assert.match(lines[14], /^ {3}list, in the order the workers appended: \['\w+', '\w+', '\w+'\]$/);
});

test('no worker outlives its cell, and no errors reached the console', async () => {
  await page.locator('details.workers[data-count="0"]').waitFor({ state: 'attached', timeout: 5_000 });
  assert.equal(await page.locator('details.workers summary').innerText(), 'Workers: 0');
  assert.deepEqual(pageErrors, []);
});
