// End-to-end: two tabs of the notebook in one browser (one origin, so one IndexedDB and one
// BroadcastChannel), on the release site in dist/. Files written in either tab are kept and
// seen by both, before and after reloads; the same file written in both ends as the later
// write, and the tab whose write lost is told; a tab closed in the middle of a save leaves
// every file whole. Saves screenshots to target/e2e/tabs-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { launchChromium, openNotebook, outputsText, serveSite, SHOTS, watchErrors } from './harness.mjs';

let server;
let browser;
let context;
let tabA;
let tabB;
const pageErrors = [];

async function newTab() {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  watchErrors(page, pageErrors);
  page.on('dialog', (dialog) => dialog.accept()); // "Replace …?" when an upload overwrites
  await openNotebook(page, server.url);
  await page.getByRole('button', { name: 'Show or hide the file browser' }).click();
  return page;
}

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  server = await serveSite();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  tabA = await newTab();
  tabB = await newTab();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const cell = (page, id) => page.locator(`article#${id}`);
const row = (page, path) => page.locator(`#file-browser li[role="treeitem"][data-path="${path}"]`);
const status = (page) => page.locator('#file-browser .file-status');

/** Runs cell `id` of `page` with `inputs`; waits for its end; returns its output. */
async function run(page, id, inputs = {}, timeout = 30_000) {
  for (const [name, value] of Object.entries(inputs)) {
    await cell(page, id).locator(`input[name="${name}"]`).fill(String(value));
  }
  const before = await cell(page, id).locator('.prompt').textContent();
  await cell(page, id).getByRole('button', { name: `Run cell ${id}`, exact: true }).click();
  await page.waitForFunction(([id, before]) => {
    const article = document.getElementById(id);
    return article.querySelector('.prompt').textContent !== before && article.dataset.state === 'done';
  }, [id, before], { timeout });
  return outputsText(cell(page, id));
}

async function upload(page, name, text) {
  await page.locator('#file-browser input[type="file"]').setInputFiles([
    { name, mimeType: 'text/plain', buffer: Buffer.from(text) },
  ]);
  await status(page).filter({ hasText: `Uploaded /home/user/${name}` }).waitFor();
}

/** Resolves when `page` lists `path` (another tab's file arrives within about a second). */
async function seen(page, path) {
  const started = Date.now();
  await row(page, path).waitFor({ timeout: 3_000 });
  return Date.now() - started;
}

test('files written in two tabs are all kept, and each tab sees the other\'s', async () => {
  await upload(tabB, 'thesis.txt', 'Chapter 1, uploaded in tab B.\n');
  assert.match(await run(tabA, 'A2', { file: 'from-a.txt' }), /Wrote 3 lines to 'from-a.txt'/);
  const waitedA = await seen(tabA, '/home/user/thesis.txt');
  const waitedB = await seen(tabB, '/home/user/from-a.txt');
  assert.ok(waitedA < 1_500 && waitedB < 1_500, `heard after ${waitedA} and ${waitedB} ms`);
  assert.match(await run(tabA, 'A1', { file: 'thesis.txt' }), /Chapter 1, uploaded in tab B\./);
  assert.match(await run(tabB, 'A1', { file: 'from-a.txt' }), /Hello from the kernel!/);
  await tabA.screenshot({ path: join(SHOTS, 'tabs-a-sees-b.png') });

  // A cell in A that writes after B's upload does not take B's file away (it did: each
  // tab saved its whole tree, and the last save won).
  assert.match(await run(tabA, 'A3', { file: 'notes.txt', note: 'written in A' }), /Appended/);
  await tabB.reload();
  await openNotebookAgain(tabB);
  assert.match(await run(tabB, 'A1', { file: 'thesis.txt' }), /Chapter 1, uploaded in tab B\./);
  assert.match(await run(tabB, 'A1', { file: 'notes.txt' }), /written in A/);
  await tabA.reload();
  await openNotebookAgain(tabA);
  assert.match(await run(tabA, 'A1', { file: 'thesis.txt' }), /Chapter 1, uploaded in tab B\./);
  assert.match(await run(tabA, 'A1', { file: 'from-a.txt' }), /Hello from the kernel!/);
});

async function openNotebookAgain(page) {
  await page.locator('.kernel-status[data-state="idle"]').waitFor();
  await page.waitForFunction(() => performance.getEntriesByName('notebook-drawn').length > 0);
  await page.getByRole('button', { name: 'Show or hide the file browser' }).click();
}

test('the same file written in both tabs ends as the later write, and the other tab is told', async () => {
  await upload(tabA, 'same.txt', 'version of tab A\n');
  await seen(tabB, '/home/user/same.txt');
  await upload(tabB, 'same.txt', 'version of tab B, written later\n');
  const told = status(tabA).filter({ hasText: "Another tab changed or removed '/home/user/same.txt'" });
  await told.waitFor({ timeout: 3_000 });
  assert.match(await status(tabA).innerText(), /The later write wins: this tab now has the other tab's version\./);
  assert.match(await run(tabA, 'A1', { file: 'same.txt' }), /version of tab B, written later/);
  assert.doesNotMatch(await status(tabB).innerText(), /Another tab/, 'tab B\'s write won: B is told nothing');
  await tabA.locator('#file-browser').screenshot({ path: join(SHOTS, 'tabs-told.png') });
  const fresh = await newTab();
  assert.match(await run(fresh, 'A1', { file: 'same.txt' }), /version of tab B, written later/);
  await fresh.close();
});

test('a tab closed in the middle of a save leaves every file whole', async () => {
  const generation = (g, pause) => ({ folder: 'closing', files: 300, size: 4096, generation: g, pause });
  assert.match(await run(tabB, 'A29', generation(1, 0), 60_000), /300/);
  await seen(tabA, '/home/user/closing');
  assert.match(await run(tabA, 'A30', { folder: 'closing' }), /All 300 files in 'closing' are whole\./);
  // Generation 2, one file every 2 ms; B is closed while it writes and saves.
  for (const [name, value] of Object.entries(generation(2, 2))) {
    await cell(tabB, 'A29').locator(`input[name="${name}"]`).fill(String(value));
  }
  await cell(tabB, 'A29').getByRole('button', { name: 'Run cell A29', exact: true }).click();
  await tabB.waitForTimeout(400);
  await tabB.close();
  await tabA.waitForTimeout(1_000);
  const checked = await run(tabA, 'A30', { folder: 'closing' });
  assert.match(checked, /All 300 files in 'closing' are whole\./, checked);
  const fresh = await newTab();
  const again = await run(fresh, 'A30', { folder: 'closing' });
  assert.match(again, /All 300 files in 'closing' are whole\./, again);
  await fresh.screenshot({ path: join(SHOTS, 'tabs-after-close.png') });
  assert.deepEqual(pageErrors, []);
});
