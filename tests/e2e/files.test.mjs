// End-to-end: the side panel's file browser on the release site in dist/, in headless
// Chromium. Uploads a text and a binary file, opens them as text and hex, renames, makes
// and deletes folders, downloads and compares the bytes, resets, keeps markup in names as
// text, lists what a cell writes, and follows a long cell as it writes. Saves screenshots
// to target/e2e/files-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './static-server.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = join(ROOT, 'dist');
const SHOTS = join(ROOT, 'target', 'e2e');

const TEXT = 'First line of the notes.\nSecond line: ünïcode.\n';
const BINARY = Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x41, 0x42, 0x43, 0x0a, 0x80, 0x90, 0xa0, 0x7f, 0x20, 0x21, 0x7e, 0x10, 0x11]);

let server;
let browser;
let page;
const pageErrors = [];

before(async () => {
  server = await serve(DIST, '/notebook/');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
  await page.goto(server.url);
  await page.locator('.kernel-status[data-state="idle"]').waitFor({ timeout: 10_000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const panel = () => page.locator('#file-browser');
const row = (path) => page.locator(`#file-browser li[role="treeitem"][data-path="${path.replace(/"/g, '\\"')}"]`);
const sizeOf = (path) => row(path).locator('.file-size').innerText();
const preview = () => page.locator('#file-browser pre.file-content');
const action = (name) => page.getByRole('button', { name, exact: true });
const status = () => page.locator('#file-browser .file-status');
const error = () => page.locator('#file-browser .file-error');

/** Fills the name form that New file / New folder / Rename open, and submits it. */
async function submitName(name) {
  const field = page.locator('#file-browser form.file-name-form input');
  await field.fill(name);
  await field.press('Enter');
}

async function openFile(path) {
  await row(path).click();
  await page.locator('#file-browser h3.file-path', { hasText: path }).waitFor();
  await page.waitForFunction(
    (p) => document.querySelector('#file-browser h3.file-path')?.textContent === p
      && document.querySelector('#file-browser pre.file-content')?.textContent !== undefined,
    path,
  );
}

test('the Files button opens the side panel at the file browser, with the starting files', async () => {
  const toggle = page.getByRole('button', { name: 'Show or hide the file browser' });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.ok(await panel().isVisible());
  assert.equal(await page.getByRole('tab', { name: 'Files' }).getAttribute('aria-selected'), 'true');
  await row('/home/user/sample.txt').waitFor();
  assert.match(await sizeOf('/home/user/sample.txt'), /^\d+ B$/);
  assert.match(await sizeOf('/home/user'), /^\d+ B · 1 item$/);
  assert.match(await panel().locator('.file-folder').innerText(), /go to \/home\/user$/);
});

test('uploads a text and a binary file, listed with their sizes', async () => {
  await panel().locator('input[type="file"]').setInputFiles([
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from(TEXT) },
    { name: 'data.bin', mimeType: 'application/octet-stream', buffer: BINARY },
  ]);
  await row('/home/user/notes.txt').waitFor();
  await row('/home/user/data.bin').waitFor();
  assert.equal(await sizeOf('/home/user/notes.txt'), `${Buffer.byteLength(TEXT)} B`);
  assert.equal(await sizeOf('/home/user/data.bin'), '18 B');
  assert.equal(await row('/home/user/data.bin').locator('.file-size').getAttribute('title'), '18 bytes');
});

test('opens the text file as text and the binary one as hex, and switches views', async () => {
  await openFile('/home/user/notes.txt');
  assert.equal(await preview().getAttribute('data-view'), 'text');
  assert.equal(await preview().textContent(), TEXT);
  assert.match(await panel().locator('.file-meta').innerText(), /, text$/);

  await openFile('/home/user/data.bin');
  await page.locator('#file-browser pre.file-content[data-view="hex"]').waitFor();
  // The panel beside the page (30rem) holds 8 bytes a line; hexdump's 16 would be cut off.
  const lines = (await preview().textContent()).split('\n');
  assert.equal(lines[0], '00000000  00 01 02 ff  fe 41 42 43  |.....ABC|');
  assert.equal(lines[1], '00000008  0a 80 90 a0  7f 20 21 7e  |..... !~|');
  assert.equal(lines[2], '00000010  10 11                     |..|');
  await page.getByRole('button', { name: 'Show as text' }).click();
  assert.equal(await preview().getAttribute('data-view'), 'text');
  assert.match(await panel().locator('.file-note').innerText(), /not UTF-8/);
  await page.getByRole('button', { name: 'Show as hex' }).click();
  assert.equal(await preview().getAttribute('data-view'), 'hex');
  // The text file on request as hex too.
  await openFile('/home/user/notes.txt');
  await page.getByRole('button', { name: 'Show as hex' }).click();
  assert.match(await preview().textContent(), /^00000000  46 69 72 73  74 20 6c 69  \|First li\|\n00000008  6e 65 20 6f  66 20 74 68  \|ne of th\|/);
  await page.getByRole('button', { name: 'Show as text' }).click();
});

test('downloads a file with the same bytes', async () => {
  await openFile('/home/user/data.bin');
  const [download] = await Promise.all([page.waitForEvent('download'), action('Download the selected file').click()]);
  assert.equal(download.suggestedFilename(), 'data.bin');
  const bytes = await readFile(await download.path());
  assert.deepEqual([...bytes], [...BINARY]);
});

test('renames a file; renaming onto an existing name fails inline and changes nothing', async () => {
  await openFile('/home/user/notes.txt');
  await action('Rename or move the selected item').click();
  await submitName('renamed.txt');
  await row('/home/user/renamed.txt').waitFor();
  assert.equal(await row('/home/user/notes.txt').count(), 0);
  assert.match(await status().innerText(), /Renamed \/home\/user\/notes\.txt to \/home\/user\/renamed\.txt/);
  assert.equal(await row('/home/user/renamed.txt').getAttribute('aria-selected'), 'true', 'the new name is selected');

  await action('Rename or move the selected item').click();
  await submitName('sample.txt');
  await error().waitFor();
  assert.equal(
    await error().innerText(),
    "FileExistsError: [Errno 17] File exists: '/home/user/renamed.txt' -> '/home/user/sample.txt'",
  );
  assert.ok(await page.locator('#file-browser form.file-name-form').isVisible(), 'the form stays to fix the name');
  await page.locator('#file-browser form.file-name-form input').press('Escape');
  assert.ok(!(await page.locator('#file-browser form.file-name-form').isVisible()));
  await row('/home/user/renamed.txt').waitFor();
});

test('creates a folder, uploads into it, and deletes it after a confirmation', async () => {
  await row('/home/user').click(); // select the home folder (it stays open)
  assert.equal(await row('/home/user').getAttribute('aria-expanded'), 'true');
  await action('New folder').click();
  await submitName('stuff');
  await row('/home/user/stuff').waitFor();
  assert.equal(await row('/home/user/stuff').getAttribute('aria-selected'), 'true');
  assert.match(await panel().locator('.file-folder').innerText(), /go to \/home\/user\/stuff$/);
  await panel().locator('input[type="file"]').setInputFiles([
    { name: 'inner.txt', mimeType: 'text/plain', buffer: Buffer.from('inside\n') },
  ]);
  await row('/home/user/stuff/inner.txt').waitFor();
  assert.match(await sizeOf('/home/user/stuff'), /^7 B · 1 item$/);

  await row('/home/user/stuff').click();
  page.once('dialog', (dialog) => dialog.dismiss());
  await action('Delete the selected item').click();
  await page.locator('#file-browser .file-status', { hasText: 'Nothing was deleted.' }).waitFor();
  assert.equal(await row('/home/user/stuff').count(), 1);

  let question = '';
  page.once('dialog', (dialog) => { question = dialog.message(); dialog.accept(); });
  await action('Delete the selected item').click();
  await page.locator('#file-browser .file-status', { hasText: 'Deleted /home/user/stuff.' }).waitFor();
  assert.match(question, /Delete the folder \/home\/user\/stuff and everything in it/);
  await page.waitForFunction(() => !document.querySelector('#file-browser [data-path^="/home/user/stuff"]'));
});

test('new file, and a file deleted without a question', async () => {
  await row('/home/user').click();
  await action('New file').click();
  await submitName('blank.txt');
  await row('/home/user/blank.txt').waitFor();
  assert.equal(await sizeOf('/home/user/blank.txt'), '0 B');
  await page.locator('#file-browser .file-note', { hasText: 'The file is empty.' }).waitFor();
  await action('Delete the selected item').click();
  await page.waitForFunction(() => !document.querySelector('#file-browser [data-path="/home/user/blank.txt"]'));
  assert.ok(!(await preview().isVisible()), 'the preview of a deleted file goes');
});

test('names and errors with markup stay text', async () => {
  await row('/home/user').click();
  await action('New folder').click();
  await submitName('<b>x<');
  await row('/home/user/<b>x<').waitFor();
  await panel().locator('input[type="file"]').setInputFiles([
    { name: 'b>.txt', mimeType: 'text/plain', buffer: Buffer.from('<i>not italic</i>\n') },
  ]);
  await row('/home/user/<b>x</b>.txt').waitFor();
  await openFile('/home/user/<b>x</b>.txt');
  assert.equal(await preview().textContent(), '<i>not italic</i>\n');
  assert.equal(await row('/home/user/<b>x<').locator('.file-name').textContent(), '<b>x<');

  await row('/home/user').click();
  await action('New file').click();
  await submitName('<img src=x onerror="window.pwned=1">.txt');
  await row('/home/user/<img src=x onerror="window.pwned=1">.txt').waitFor();
  await action('New file').click();
  await submitName('<b>x</b>.txt');
  await error().waitFor();
  assert.equal(await error().innerText(), "FileExistsError: [Errno 17] File exists: '/home/user/<b>x</b>.txt'");
  await page.locator('#file-browser form.file-name-form input').press('Escape');
  assert.equal(await panel().locator('b, i, img').count(), 0, 'no element was made from a name or a text');
  assert.equal(await page.evaluate(() => window.pwned), undefined);
});

test('the tree works from the keyboard', async () => {
  await row('/home/user').focus();
  await page.keyboard.press('ArrowRight'); // open (it is open already) or go to its first entry
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  const last = await page.evaluate(() => document.activeElement.dataset.path);
  assert.equal(last, '/tmp');
  await page.keyboard.press('Home');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.path), '/home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowLeft'); // /home/user open: closes it
  assert.equal(await row('/home/user').getAttribute('aria-expanded'), 'false');
  await page.keyboard.press('ArrowRight');
  assert.equal(await row('/home/user').getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('ArrowRight'); // to its first entry
  assert.equal(await page.evaluate(() => document.activeElement.dataset.path), '/home/user/<b>x<');
  for (let i = 0; i < 10; i += 1) {
    if (await page.evaluate(() => document.activeElement.dataset.path) === '/home/user/data.bin') break;
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await page.locator('#file-browser pre.file-content[data-view="hex"]').waitFor();
  assert.equal(await page.locator('#file-browser h3.file-path').innerText(), '/home/user/data.bin');
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'files-wide.png') });
});

test('files a cell writes appear after its run', async () => {
  assert.equal(await row('/home/user/output.txt').count(), 0);
  await page.getByRole('button', { name: 'Run cell A2', exact: true }).click();
  await page.locator('article#A2[data-state="done"]').waitFor({ timeout: 10_000 });
  await row('/home/user/output.txt').waitFor();
  assert.match(await sizeOf('/home/user/output.txt'), /^\d+ B$/);
  await openFile('/home/user/output.txt');
  assert.match(await preview().textContent(), /^Hello from the kernel!\n/);
});

test('the tree follows a long cell while it runs, without asking', async () => {
  const a29 = page.locator('article#A29');
  for (const [name, value] of Object.entries({ folder: 'live', files: '40', size: '128', pause: '100' })) {
    await a29.locator(`input[name="${name}"]`).fill(value);
  }
  // The page lists the files only when asked to (or when the kernel starts): every row
  // below arrives with the kernel's notices of change, most of them before the run ends.
  await page.getByRole('button', { name: 'Run cell A29', exact: true }).click();
  await page.locator('article#A29[data-state="running"]').waitFor();
  await row('/home/user/live').waitFor({ timeout: 5_000 });
  assert.equal(await a29.getAttribute('data-state'), 'running', 'the folder showed up while the cell ran');
  await row('/home/user/live').click(); // opens the folder
  await row('/home/user/live/f0000.txt').waitFor();
  const early = await page.locator('#file-browser li[data-path^="/home/user/live/"]:not([data-path$=".tmp"])').count();
  await page.locator('article#A29[data-state="done"]').waitFor({ timeout: 20_000 });
  await row('/home/user/live/f0039.txt').waitFor();
  assert.ok(early < 40, `the tree grew as the cell wrote (${early} files at first, 40 at the end)`);
});

test('a large file previews its first 64 KiB and says so', async () => {
  const big = Buffer.from('0123456789abcdef\n'.repeat(4200)); // 71,400 bytes
  await row('/home/user').click();
  await panel().locator('input[type="file"]').setInputFiles([{ name: 'big.txt', mimeType: 'text/plain', buffer: big }]);
  await row('/home/user/big.txt').waitFor();
  assert.equal(await sizeOf('/home/user/big.txt'), '69.7 KiB');
  await openFile('/home/user/big.txt');
  await page.locator('#file-browser .file-note', { hasText: 'Showing the first 64.0 KiB of 69.7 KiB' }).waitFor();
  assert.equal((await preview().textContent()).length, 65_536);
  const [download] = await Promise.all([page.waitForEvent('download'), action('Download the selected file').click()]);
  assert.ok((await readFile(await download.path())).equals(big), 'the download has all of it');
});

test('the panel keeps the log viewer and the workers as tabs', async () => {
  const logs = page.getByRole('button', { name: 'Show or hide the log viewer' });
  await logs.click();
  assert.equal(await logs.getAttribute('aria-expanded'), 'true');
  assert.equal(await page.getByRole('button', { name: 'Show or hide the file browser' }).getAttribute('aria-expanded'), 'false');
  assert.ok(await page.locator('#log-viewer').isVisible());
  assert.ok(!(await panel().isVisible()));
  await page.getByRole('tab', { name: 'Workers' }).click();
  assert.ok(await page.locator('#side-panel .workers-view').isVisible());
  assert.match(await page.locator('#side-panel .workers-summary').innerText(), /^Workers: \d+/);
  assert.ok(!(await page.locator('#log-viewer').isVisible()));
  await page.keyboard.press('ArrowLeft'); // back to Logs, from the keyboard
  assert.ok(await page.locator('#log-viewer').isVisible());
  await page.getByRole('tab', { name: 'Files' }).click();
  assert.ok(await panel().isVisible());
});

test('Reset all asks first, then puts back the starting files only', async () => {
  page.once('dialog', (dialog) => dialog.dismiss());
  await action('Reset all files').click();
  await page.locator('#file-browser .file-status', { hasText: 'left as they are' }).waitFor();
  assert.equal(await row('/home/user/data.bin').count(), 1);
  page.once('dialog', (dialog) => dialog.accept());
  await action('Reset all files').click();
  await page.locator('#file-browser .file-status', { hasText: 'All files were reset' }).waitFor();
  await page.waitForFunction(() => !document.querySelector('#file-browser [data-path="/home/user/data.bin"]'));
  const paths = await panel().locator('li[role="treeitem"]').evaluateAll((items) => items.map((i) => i.dataset.path));
  assert.deepEqual(paths, ['/home', '/home/user', '/home/user/sample.txt', '/tmp']);
  assert.ok(!(await preview().isVisible()));
});

test('on a tablet, light and dark: the panel lies over the page and stays usable', async () => {
  await mkdir(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 820, height: 1180 });
  const box = await page.locator('#side-panel').boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 820 && box.width >= 300, `panel box ${JSON.stringify(box)}`);
  await openFile('/home/user/sample.txt');
  await page.screenshot({ path: join(SHOTS, 'files-tablet-light.png') });
  const light = await page.locator('#side-panel').evaluate((e) => getComputedStyle(e).backgroundColor);
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await page.locator('#side-panel').evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.notEqual(light, dark, 'the panel follows the colour scheme');
  await page.screenshot({ path: join(SHOTS, 'files-tablet-dark.png') });
  await page.getByRole('button', { name: 'Close the side panel' }).click();
  assert.ok(!(await page.locator('#side-panel').isVisible()));
  assert.equal(
    await page.evaluate(() => document.activeElement.getAttribute('aria-label')),
    'Show or hide the file browser',
    'focus goes back to the button that opened the panel',
  );
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1200, height: 900 });
});

test('no errors reached the console', () => {
  assert.deepEqual(pageErrors, []);
});
