// End-to-end: sections C and E of the release site in dist/, in headless Chromium. C1
// pauses at each breakpoint with its locals; Continue, Continue to the end and Stop work
// from the paused box; E3 shows the memory figures of its run beside its time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SHOTS, launchChromium, openNotebook, outputsText, serveSite, watchErrors } from './harness.mjs';

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
const pausedBox = (id) => cell(id).locator('.outputs .breakpoint');

async function waitState(id, state, timeout = 10_000) {
  await page.locator(`article#${id}[data-state="${state}"]`).waitFor({ timeout });
}

/** The paused box's title and its locals as `name: type = value`. */
async function pausedAt(id) {
  const box = pausedBox(id);
  const title = await box.locator('.breakpoint-title').innerText();
  const rows = await box.locator('table.locals tr').evaluateAll((trs) => trs.slice(1)
    .map((tr) => [...tr.children].map((td) => td.textContent))
    .map(([name, type, value]) => `${name}: ${type} = ${value}`));
  return { title, rows };
}

async function waitForHit(id, hit) {
  await pausedBox(id).locator('.breakpoint-title', { hasText: `(hit ${hit})` }).waitFor({ timeout: 5_000 });
}

test('C1 pauses at each turn with its locals; Continue, then Continue to the end', async () => {
  await cell('C1').getByRole('button', { name: 'Run cell C1' }).click();
  await waitForHit('C1', 1);
  assert.equal(await stateOf('C1'), 'paused');
  assert.deepEqual(await pausedAt('C1'), {
    title: 'Paused at loop (hit 1)',
    rows: ['i: u32 = 1', 'product: u128 = 1'],
  });
  assert.equal(
    await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
    'Continue cell C1 to its next breakpoint',
    'Continue has the focus',
  );

  await cell('C1').getByRole('button', { name: 'Continue cell C1 to its next breakpoint' }).click();
  await waitForHit('C1', 2);
  assert.deepEqual((await pausedAt('C1')).rows, ['i: u32 = 2', 'product: u128 = 2']);
  await page.keyboard.press('Enter'); // the focused Continue button
  await waitForHit('C1', 3);
  assert.deepEqual((await pausedAt('C1')).rows, ['i: u32 = 3', 'product: u128 = 6']);
  assert.equal(await stateOf('C1'), 'paused');
  await mkdir(SHOTS, { recursive: true });
  await cell('C1').screenshot({ path: join(SHOTS, 'breakpoint.png') });

  await cell('C1').getByRole('button', { name: 'Continue cell C1 to the end without stopping' }).click();
  await waitState('C1', 'done');
  assert.equal(await pausedBox('C1').count(), 0, 'the paused box is gone');
  const text = await outputText('C1');
  assert.match(text, /^Computing 5! with a breakpoint at the end of each turn of the loop\./);
  assert.match(text, /The factorial of 5 is 120$/);
  const captions = await cell('C1').locator('.outputs table caption').allTextContents();
  assert.deepEqual(captions, [
    'paused at loop (hit 1), continued',
    'paused at loop (hit 2), continued',
    'paused at loop (hit 3), continued to the end',
  ]);
  const recorded = await cell('C1').locator('.outputs table').nth(2).locator('td').allTextContents();
  assert.deepEqual(recorded, ['i', 'u32', '3', 'product', 'u128', '6']);
});

test('Stop in the paused box ends the cell as stopped; the kernel carries on', async () => {
  await cell('C2').getByRole('button', { name: 'Run cell C2' }).click();
  await waitForHit('C2', 1);
  assert.deepEqual((await pausedAt('C2')).rows, ['fib_seq: Vec<u64> = [0, 1]', 'next: u64 = 1']);
  await cell('C2').getByRole('button', { name: 'Continue cell C2 to its next breakpoint' }).click();
  await waitForHit('C2', 2);
  assert.deepEqual((await pausedAt('C2')).rows, ['fib_seq: Vec<u64> = [0, 1, 1]', 'next: u64 = 2']);
  await cell('C2').getByRole('button', { name: 'Stop cell C2' }).click();
  await waitState('C2', 'stopped', 2_000);
  assert.equal(await pausedBox('C2').count(), 0);
  const text = await outputText('C2');
  assert.match(text, /KeyboardInterrupt: stopped by the Stop button/);
  assert.doesNotMatch(text, /Fibonacci sequence: \[/);
  assert.deepEqual(await cell('C2').locator('.outputs table caption').allTextContents(), [
    'paused at before push (hit 1), continued',
    'paused at before push (hit 2), stopped here',
  ]);
  // The stop was an interrupt at a wait, not a restart: the count goes on.
  await cell('C3').getByRole('button', { name: 'Run cell C3' }).click();
  await waitState('C3', 'done');
  assert.match(await outputText('C3'), /^\|-- fib 4\n\| \|-- fib 3\n[^]*\| \|-- return 3\nfib\(4\) = 3$/);
  assert.equal(await cell('C3').locator('.prompt').innerText(), 'In [3]:');
});

test('C1b pauses before the division; Continue, and the uncaught error ends it with its traceback', async () => {
  await cell('C1b').getByRole('button', { name: 'Run cell C1b' }).click();
  await waitForHit('C1b', 1);
  assert.deepEqual(await pausedAt('C1b'), { title: 'Paused at divide (hit 1)', rows: ['a: i64 = 5', 'b: i64 = 0'] });
  await cell('C1b').getByRole('button', { name: 'Continue cell C1b to its next breakpoint' }).click();
  await waitState('C1b', 'failed');
  const text = await outputText('C1b');
  assert.match(text, /Traceback \(most recent call last\):\n {2}File "src\/exercises\/debugging\.rs", line \d+, in c1b_breakpoint_then_error\n {2}File "src\/exercises\/debugging\.rs", line \d+, in divide\nZeroDivisionError: division by zero$/);
  await cell('C1b').screenshot({ path: join(SHOTS, 'breakpoint_then_error.png') });
});

test('E1b runs the cycle collector by hand: the cycle is found and freed, what a variable reaches stays', async () => {
  await cell('E1b').getByRole('button', { name: 'Run cell E1b' }).click();
  await waitState('E1b', 'done');
  const lines = (await outputText('E1b')).split('\n');
  assert.match(lines[0], /^Made a cycle of 3 nodes and dropped every handle to it: peak .* held \+3\.\d kB\.$/);
  assert.equal(lines[2], 'gc.collect() found 3 unreachable: n0, n1, n2');
  assert.match(lines[3], /^The collection: peak .* freed 3\.\d kB\.$/);
});

test('E3 shows its memory figures beside its time', async () => {
  await cell('E3').getByRole('button', { name: 'Run cell E3' }).click();
  await waitState('E3', 'done', 30_000);
  const figures = await cell('E3').locator('.memory').textContent();
  assert.match(figures, /^· peak \d+\.\d MB · 1,000,\d{3} allocs · (held \+?|freed )\d+(\.\d)? k?B$/);
  const peak = Number(figures.match(/peak (\d+\.\d) MB/)[1]);
  assert.ok(peak >= 12, `a boxed million needs at least 12 bytes a number on wasm32: ${figures}`);
  assert.match(await cell('E3').locator('.elapsed').textContent(), /^\d+(\.\d)? m?s$/);
  const rows = await cell('E3').locator('.outputs table tr').evaluateAll((trs) => trs.slice(1)
    .map((tr) => tr.children[0].textContent + ' | ' + tr.children[1].textContent));
  assert.equal(rows.length, 3);
  assert.match(rows[0], /^Vec<Box<u64>>, pushed one by one \| 1,000,0\d\d$/);
  assert.equal(rows[2], 'Vec<u64>, collected (length known) | 1');
  await cell('E3').screenshot({ path: join(SHOTS, 'memory.png') });
  // Every cell run reports its figures, not only E3's.
  assert.match(await cell('C3').locator('.memory').textContent(), /^· peak .* allocs? · (held|freed) /);
});

test('no errors reached the console', async () => {
  assert.deepEqual(pageErrors, []);
});
