// End-to-end: the release site in dist/, served from a sub-path on loopback, driven in
// headless Chromium. Runs every cell with Run all, checks outputs, stops a runaway cell
// and a waiting one, and saves a screenshot to target/e2e/notebook.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SHOTS, launchChromium, openNotebook, outputsText, promptText, screenshotAllCells, serveSite, watchErrors } from './harness.mjs';

let server;
let browser;
let page;
const pageErrors = [];

before(async () => {
  server = await serveSite();
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
const outputText = (id) => outputsText(cell(id));
const stateOf = (id) => cell(id).getAttribute('data-state');
const promptOf = (id) => promptText(cell(id));

async function kernelIdle(timeout = 10_000, p = page) {
  await p.locator('.kernel-status[data-state="idle"]').waitFor({ timeout });
}

async function waitState(id, state, timeout = 10_000, p = page) {
  await p.locator(`article#${id}[data-state="${state}"]`).waitFor({ timeout });
}

test('the page shows the notebook with its sections and cells', async () => {
  assert.match(await page.locator('h1').innerText(), /notebook/i);
  const sections = await page.locator('section h2').allInnerTexts();
  assert.deepEqual(sections, [
    'Using this notebook', 'A. Files', 'B. Logging', 'C. Debugging', 'D. Exceptions', 'E. Memory',
    'F. Threads', 'G. Multiprocessing', 'H. Language background',
  ]);
  for (const id of ['A1', 'A2', 'A3']) {
    assert.equal(await promptOf(id), 'In [ ]:');
    const source = await cell(id).locator('pre.source').textContent();
    assert.match(source, /^pub async fn a\d_\w+\(cx: CellContext\) -> CellResult \{/);
  }
});

let runAllCount = 0;

async function queueDrained(timeout = 60_000) {
  await page.waitForFunction(
    () => document.querySelectorAll('article[data-state="queued"], article[data-state="running"]').length === 0,
    null,
    { timeout },
  );
}

test('Run all runs every cell of every section in order; each section is photographed', async () => {
  await page.getByRole('button', { name: 'Run all cells' }).click();
  await queueDrained(240_000);
  const states = await page.$$eval('article.code-cell', (cells) => cells.map((c) => [c.id, c.dataset.state]));
  const waitsForYou = ['U1', 'U2', 'U3', 'C1', 'C1b', 'C2', 'D5b', 'D14']; // prompts, breakpoints, endless loops
  for (const [id, state] of states) {
    assert.equal(state, waitsForYou.includes(id) ? 'idle' : 'done', `${id} ended as ${state}`);
  }
  assert.ok(states.filter(([id]) => id.startsWith('A')).length >= 28, 'section A has its 28 rows');
  assert.deepEqual(states.filter(([id]) => id.startsWith('B')).map(([id]) => id), ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B6-js', 'B7', 'B8']);
  assert.deepEqual(states.filter(([id]) => id.endsWith('-js')).map(([id]) => id),
    ['A13-js', 'B6-js', 'C3-js', 'D9-js', 'E3-js', 'F4-js', 'G7-js'], 'a course script cell in each section');
  // The highest In [n] so far: every cell Run all ran, in every section.
  runAllCount = await page.$$eval('article .prompt', (ps) => Math.max(...ps.map((p) => Number(p.textContent.match(/\d+/)?.[0] ?? 0))));
  assert.equal(runAllCount, states.length - waitsForYou.length);
  assert.deepEqual(
    [await promptOf('A1'), await promptOf('A2'), await promptOf('A3')],
    ['In [1]:', 'In [2]:', 'In [3]:'],
  );
  // Section A and B
  assert.match(await outputText('A1'), /^File content:\nEvery file starts as bytes on a disk\./);
  assert.match(await outputText('A2'), /^Wrote 3 lines to 'output.txt'\. It now reads:\nHello from the kernel!\n/);
  assert.match(await outputText('A3'), /^Appended to 'my_notes.txt', which now has 1 line:\nA line appended by A3\.$/);
  assert.match(await outputText('A13'), /is is the first line\./);
  assert.match(await outputText('A15'), /\b10\b/);
  assert.match(await outputText('A12'), /raw stream has been detached/);
  // A9 reads the same file three ways; readinto makes the buffered read's raw calls.
  const a9 = await cell('A9').locator('table').first().locator('tr').evaluateAll((trs) => trs.slice(1)
    .map((tr) => [...tr.children].slice(0, 3).map((td) => td.textContent).join(' | ')));
  assert.deepEqual(a9, ['direct (buffering=0) | 262144 | 4097', 'buffered (buffering=-1) | 262144 | 33',
    'buffered, readinto (buffering=-1) | 262144 | 33']);
  // Beyond the catalogue's rows: a detached reader, a default message, gc.collect().
  assert.match(await outputText('A12b'), /^read\(5\) through the BufferedReader: b'Every'\nThe reader stands at byte 5\.\nDetached: the raw FileIO stands at byte 128\.\nraw\.read\(20\) gives b''\n/);
  assert.match(await outputText('D9b'), /raise CustomException\(\): caught CustomException\("My default message"\), which says: My default message$/);
  assert.match(await outputText('E1b'), /gc\.collect\(\) found 3 unreachable: n0, n1, n2\nThe collection: peak .* freed 3\.\d kB\.\nStill alive: root, leaf/);
  assert.equal(await cell('A6').locator('table').count() + await cell('A6').locator('img.chart').count() > 0, true,
    'A6 shows its raw write counts as a table or chart');
  assert.match(await outputText('B1'), /Log message has been written to app\.log\nThis run added to app\.log:\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - INFO - /);
  assert.match(await outputText('B3'), /Error: Division by zero is not allowed\.[^]* - ERROR - Error occurred while dividing 10 by 0: division by zero/);
  assert.match(await outputText('B7'), /FileNotFoundError: The file 'missing_file\.txt' was not found\./);
  assert.equal(await cell('B6').locator('table').count(), 1, 'B6 shows its log files in a table');
  // C: the call tree; D: the seed's messages; E: memory figures
  assert.match(await outputText('C3'), /\|-- return/);
  assert.match(await outputText('D1'), /zero/i);
  assert.match(await outputText('D8'), /CustomError caught: Negative value is not allowed\./);
  assert.match(await outputText('D10'), /Negative value error: -5 is not allowed\./);
  assert.match(await outputText('D13'), /KeyError: 'country'/);
  assert.match(await cell('E3').locator('.memory').textContent(), /peak .*allocs/);
  assert.match(await outputText('E2'), /drop: .* is cleaned up/);
  // F and G: threads in the seed's order, processes' results
  assert.match(await outputText('F7'), /ab 1000[^]*abhijit 2000[^]*Exit/);
  assert.match(await outputText('F8'), /completed/i);
  assert.match(await outputText('G5'), /\['a', 'bb', 'ccc', 'dddd'\]/);
  assert.match(await outputText('G7'), /\[1, 4, 9, 16, 25\]/);
  assert.match(await outputText('G6'), /All processes have finished/);
  assert.match(await outputText('H2'), /same type/i);
  // The course's script cells ran in the engine, beside the Rust cells they redo.
  assert.match(await outputText('A13-js'), /line 1: "first line\\n" now at 11[^]*0 \(no buffer\)\s+100/);
  assert.match(await outputText('B6-js'), /app_js\.log\.2\s+\d+\s+INFO order 6 shipped/);
  assert.match(await outputText('D9-js'), /withdraw -5: InsufficientFundsError: the balance is too low/);
  assert.match(await outputText('G7-js'), /squares: \[1,4,9,16,25,36,49,64\]/);
  await mkdir(SHOTS, { recursive: true });
  for (const id of await page.$$eval('section.nb-section', (ss) => ss.map((s) => s.id))) {
    await screenshotAllCells(page, page.locator(`section#${id}`), { path: join(SHOTS, `${id}.png`) });
  }
});

test('the log viewer filters the records of B8 by logger', async () => {
  await page.getByRole('button', { name: 'Show or hide the log viewer' }).click();
  const viewer = page.locator('#log-viewer');
  await viewer.locator('input[aria-label="Only this logger and its children"]').fill('shop.payment');
  await page.waitForFunction(() => document.querySelectorAll('#log-viewer .log-row').length === 3);
  assert.deepEqual(await viewer.locator('.log-row .log-level').allInnerTexts(), ['DEBUG', 'WARNING', 'ERROR']);
  assert.match(await viewer.locator('.log-count').innerText(), /^3 of 5000 records/, 'B6 filled the viewer past its 5000');
  await viewer.locator('input[aria-label="Only this logger and its children"]').fill('');
  await page.getByRole('button', { name: 'Show or hide the log viewer' }).click();
});

test('running A3 again leaves two lines; inputs change what a cell does', async () => {
  await cell('A3').getByRole('button', { name: 'Run cell A3' }).click();
  await page.locator('article#A3 .outputs', { hasText: '2 lines:' }).waitFor();
  assert.equal(await promptOf('A3'), `In [${runAllCount + 1}]:`);

  const field = cell('A1').locator('input[name="file"]');
  await field.fill('nope.txt');
  await field.press('Enter');
  await page.locator('article#A1 .outputs', { hasText: 'FileNotFoundError' }).waitFor();
  // The cell reads the file named, then its `then` file, missing by default.
  assert.equal(await outputText('A1'), "FileNotFoundError: [Errno 2] No such file or directory: 'nope.txt'\n"
    + "FileNotFoundError: [Errno 2] No such file or directory: 'missing.txt'");
  await field.fill('output.txt');
  await field.press('Enter');
  await page.locator('article#A1 .outputs', { hasText: 'Hello from the kernel!' }).waitFor();

  // B5 without force: the second basicConfig does nothing; the ERROR record reaches the
  // screen in Python's default format and INFO is dropped by the root's WARNING level.
  const force = cell('B5').locator('input[name="force"]');
  await force.fill('no');
  await force.press('Enter');
  await page.locator('article#B5 .outputs', { hasText: 'did nothing' }).waitFor();
  assert.equal(await outputText('B5'), 'An earlier basicConfig sent records to the screen; this one has no force:\n'
    + 'ERROR:root:Error occurred: Cannot divide 5 by zero.\n'
    + "Program completed. Check 'app.log' for log messages.\n"
    + 'Nothing was added to app.log: the second basicConfig did nothing.');
  await force.fill('yes');
});

test('a cell that asks shows a field, waits, and goes on with the answer', async () => {
  await cell('U3').getByRole('button', { name: 'Run cell U3' }).click();
  const field = cell('U3').locator('.stdin input');
  await field.waitFor();
  assert.equal(await stateOf('U3'), 'running');
  await field.fill('Ada <b>Lovelace</b>');
  await field.press('Enter');
  await waitState('U3', 'done');
  assert.equal(
    await outputText('U3'),
    'What is your name? Ada <b>Lovelace</b>\nHello, Ada <b>Lovelace</b>! This answer went from the page to the kernel and back.',
  );
  assert.equal(await cell('U3').locator('.outputs b').count(), 0, 'typed markup stays text');
  assert.equal(await cell('U3').locator('.stdin').count(), 0, 'the field is gone once answered');
});

test('Stop cancels a waiting cell at its wait; the kernel keeps its state', async () => {
  await cell('U1').getByRole('button', { name: 'Run cell U1' }).click();
  await page.locator('article#U1 .outputs', { hasText: 'waited 1 s' }).waitFor({ timeout: 5_000 });
  await page.getByRole('button', { name: 'Stop the running cell' }).click();
  await waitState('U1', 'stopped', 2_000);
  assert.match(await outputText('U1'), /KeyboardInterrupt: stopped by the Stop button/);
  await cell('A3').getByRole('button', { name: 'Run cell A3' }).click();
  await page.locator('article#A3 .outputs', { hasText: '3 lines:' }).waitFor();
});

test('Stop ends a runaway loop at once by restarting the kernel; the next run works', async () => {
  await cell('U2').getByRole('button', { name: 'Run cell U2' }).click();
  await waitState('U2', 'running');
  await page.waitForTimeout(300);
  const started = Date.now();
  assert.equal(await page.evaluate(() => 1 + 1), 2, 'the page answers while the kernel spins');
  await page.getByRole('button', { name: 'Stop the running cell' }).click();
  await waitState('U2', 'stopped', 2_000);
  const stopMs = Date.now() - started;
  assert.ok(stopMs < 2_000, `stopped after ${stopMs} ms`);
  assert.match(await outputText('U2'), /KeyboardInterrupt: the cell never paused, so Stop restarted the kernel/);
  await kernelIdle();
  await cell('A1').getByRole('button', { name: 'Run cell A1' }).click();
  await waitState('A1', 'done');
  assert.equal(await promptOf('A1'), 'In [1]:', 'a fresh kernel counts from 1');
  assert.match(await outputText('A1'), /^File content:\nHello from the kernel!/, 'files survived the restart');
});

test('files survive a reload of the page', async () => {
  await page.reload();
  await kernelIdle();
  await cell('A3').getByRole('button', { name: 'Run cell A3' }).click();
  await waitState('A3', 'done');
  assert.match(await outputText('A3'), /which now has 4 lines/);
});

test('Shift+Enter runs the focused cell and moves on; Ctrl+Enter runs it in place', async () => {
  const before = await promptOf('A15');
  await cell('A15').focus();
  await page.keyboard.press('Shift+Enter');
  await page.waitForFunction((p) => document.querySelector('article#A15 .prompt').textContent !== p
    && document.querySelector('article#A15').dataset.state === 'done', before);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'A16', 'focus moved to the next cell');
  const a16 = await promptOf('A16');
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction((p) => document.querySelector('article#A16 .prompt').textContent !== p
    && document.querySelector('article#A16').dataset.state === 'done', a16);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'A16', 'focus stayed');
});

test('a deep link opens the page at its cell; the contents link to each section', async () => {
  const linked = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await openNotebook(linked, `${server.url}#A13`);
  const box = await linked.locator('article#A13').boundingBox();
  assert.ok(box && box.y >= 0 && box.y < 900, `A13 is in view (y = ${box?.y})`);
  const links = await linked.locator('nav.contents a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links.slice(0, 3), ['#section-intro', '#section-A', '#section-B']);
  await linked.close();
});

test('a kernel that cannot start is retried, then reported without looping', async () => {
  // No service worker here: its one reload would restart the count of worker starts.
  const broken = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
  // Every worker the page starts runs a script that throws at once.
  await broken.addInitScript(() => {
    const RealWorker = window.Worker;
    window.workerStarts = 0;
    window.Worker = function BrokenWorker(_url, options) {
      window.workerStarts += 1;
      const script = new Blob(['throw new Error("broken worker");'], { type: 'text/javascript' });
      return new RealWorker(URL.createObjectURL(script), options);
    };
  });
  await broken.goto(server.url);
  const status = broken.locator('.kernel-status');
  await broken.locator('.kernel-status', { hasText: 'failed to start' }).waitFor({ timeout: 10_000 });
  assert.match(await status.innerText(), /broken worker/);
  await broken.waitForTimeout(500);
  assert.equal(await broken.evaluate(() => window.workerStarts), 3, 'three tries, then no more');
  await broken.getByRole('button', { name: 'Run cell A1', exact: true }).click();
  assert.equal(await broken.locator('article#A1').getAttribute('data-state'), 'queued', 'the page still answers');
  await broken.close();
});

/** Waits until the kernel of `other` (a page of its own) is idle, runs A1 there, and
 * checks that nothing reached its console. */
async function startsAndRunsA1(other, errors) {
  await kernelIdle(15_000, other);
  await other.getByRole('button', { name: 'Run cell A1', exact: true }).click();
  await waitState('A1', 'done', 10_000, other);
  assert.deepEqual(errors, []);
}

test('a kernel that speaks before the page listens is heard: the page replays what it said', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const slow = await context.newPage();
  const errors = [];
  watchErrors(slow, errors);
  await slow.addInitScript(() => {
    // The page instantiates the module a second late; its kernel, booted by the early
    // script as soon as the module is compiled, is idle long before the page listens.
    const instantiate = WebAssembly.instantiate;
    WebAssembly.instantiate = (...args) => new Promise((resolve) => setTimeout(resolve, 1000))
      .then(() => instantiate.apply(WebAssembly, args));
    // Keeps the early script's list of what the kernel said before the page listened.
    let events;
    Object.defineProperty(window, 'notebookEarlyKernelEvents', {
      configurable: true,
      get: () => events,
      set: (value) => { events = value; if (value) window.heardEarly = value; },
    });
  });
  await slow.goto(server.url);
  await startsAndRunsA1(slow, errors);
  assert.ok(await slow.evaluate(() => window.heardEarly.length) >= 1, 'the kernel spoke before the page listened');
  await context.close();
});

test('a host that does not label the module as WebAssembly still serves a working notebook', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const plain = await context.newPage();
  const errors = [];
  watchErrors(plain, errors);
  // As a static server that knows no `.wasm` type answers: streaming compilation refuses
  // such a response, so the early script compiles the whole download instead.
  await plain.route('**/*.wasm', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  });
  await plain.goto(server.url);
  await startsAndRunsA1(plain, errors);
  await context.close();
});

test('a module that cannot be fetched is said in place of the loading line', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const broken = await context.newPage();
  await broken.route('**/*.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await broken.goto(server.url);
  const loading = broken.locator('#notebook .loading');
  await loading.filter({ hasText: 'could not start' }).waitFor({ timeout: 10_000 });
  assert.equal(await loading.innerText(), "The notebook could not start: the notebook's module could not be fetched (HTTP 404)");
  await context.close();
});

test('a strict Content-Security-Policy is in force: an injected inline script does not run', async () => {
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[^']+'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);
  const errorsBefore = pageErrors.length;
  const outcome = await page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('securitypolicyviolation', (e) => resolve(`blocked ${e.violatedDirective}`), { once: true });
    const script = document.createElement('script');
    script.textContent = 'window.injectedRan = true;';
    document.body.append(script);
    setTimeout(() => resolve(window.injectedRan ? 'ran' : 'no violation reported'), 1_000);
  }));
  assert.match(outcome, /^blocked script-src/);
  // The browser logs the refusal: that one console error is this test's own doing.
  const added = pageErrors.splice(errorsBefore);
  assert.ok(added.every((e) => /Content Security Policy/.test(e)), added.join('\n'));
});

test('cell sources are coloured as text spans', async () => {
  const code = cell('A1').locator('pre.source code');
  assert.ok(await code.locator('span.tok-kw').count() > 3, 'keywords are coloured');
  assert.ok(await code.locator('span.tok-str').count() > 0, 'strings are coloured');
  const source = await code.textContent();
  assert.match(source, /^pub async fn a1_\w+\(cx: CellContext\) -> CellResult \{/);
});

test('no errors reached the console; a screenshot is saved', async () => {
  await mkdir(SHOTS, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshotAllCells(page, page, { path: join(SHOTS, 'notebook.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});
