// End-to-end: bad input through the page of the release site in dist/, in headless
// Chromium (see RELIABILITY.md). Cell inputs with markup and script are shown as text and
// run nothing; numbers at the edge of their type end in a message, not a dead kernel;
// uploads of binary, large, and too large files through the Files panel, the too large
// ones refused whole with nothing lost; a file name with markup shown as text; and a
// browser that refuses storage: the notebook runs in memory and says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, openNotebook, outputsText, serveSite, SHOTS, watchErrors } from './harness.mjs';

const MIB = 1024 * 1024;
const MARKUP_NAME = '<img src=x onerror=alert(1)>.bin';

let server;
let browser;
let page;
let scratch;
const pageErrors = [];
const dialogs = [];

/** Records alerts (none may fire) and answers the file browser's confirms with yes. */
function watchDialogs(p) {
  p.on('dialog', async (dialog) => {
    if (dialog.type() === 'confirm') {
      await dialog.accept();
    } else {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      await dialog.dismiss();
    }
  });
}

before(async () => {
  server = await serveSite();
  browser = await launchChromium();
  scratch = await mkdtemp(join(tmpdir(), 'notebook-hostile-'));
  await mkdir(SHOTS, { recursive: true });
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.setDefaultTimeout(20_000);
  watchErrors(page, pageErrors);
  watchDialogs(page);
  await openNotebook(page, server.url);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const cell = (id) => page.locator(`article#${id}`);
const outputText = (id) => outputsText(cell(id));
const panel = () => page.locator('#file-browser');
const row = (path) => page.locator(`#file-browser li[role="treeitem"][data-path="${path.replace(/"/g, '\\"')}"]`);
const sizeOf = (path) => row(path).locator('.file-size').innerText();
const status = () => page.locator('#file-browser .file-status');
const error = () => page.locator('#file-browser .file-error');
const upload = (files) => panel().locator('input[type="file"]').setInputFiles(files);

/** Runs cell `id` with `inputs` typed into its form; waits for its end; returns its output. */
async function run(id, inputs) {
  for (const [name, value] of Object.entries(inputs)) {
    await cell(id).locator(`input[name="${name}"]`).fill(value);
  }
  const before = await cell(id).locator('.prompt').textContent();
  await cell(id).getByRole('button', { name: `Run cell ${id}` }).click();
  await page.waitForFunction(
    ([id, before]) => {
      const article = document.getElementById(id);
      const state = article?.dataset.state;
      return article.querySelector('.prompt').textContent !== before && state !== 'running' && state !== 'queued';
    },
    [id, before],
  );
  return outputText(id);
}

/** A file of `size` bytes on disk (Playwright refuses in-memory files over 50 MB). */
async function bigFile(name, size) {
  const path = join(scratch, name);
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4096) data[i] = i % 251;
  await writeFile(path, data);
  return path;
}

test('cell inputs with HTML and script are shown as text and run nothing', async () => {
  const name = '<img src=x onerror=alert(1)>.txt';
  const note = '<script>alert(2)</script><img src=y onerror=alert(3)><b>bold?</b>';
  const out = await run('A3', { file: name, note });
  assert.equal(out, `Appended to '${name}', which now has 1 line:\n${note}`);
  assert.equal(await cell('A3').locator('.outputs img, .outputs script, .outputs b').count(), 0);
  // The same text in an error message, and in a log record (output and viewer).
  const missing = await run('A1', { file: '<b>missing</b>.txt' });
  assert.match(missing, /FileNotFoundError: \[Errno 2\] No such file or directory: '<b>missing<\/b>\.txt'/);
  const logged = await run('B1', { message: note });
  assert.ok(logged.includes(note), logged);
  assert.equal(await page.locator('main img:not(.chart), main script, .outputs b').count(), 0,
    'no element was made from typed text');
  await page.getByRole('button', { name: 'Show or hide the log viewer' }).click();
  await page.locator('#log-viewer', { hasText: '<script>alert(2)</script>' }).first().waitFor();
  assert.equal(await page.locator('#log-viewer img, #log-viewer script, #log-viewer b').count(), 0);
  await page.getByRole('button', { name: 'Show or hide the log viewer' }).click();
  assert.deepEqual(dialogs, [], 'no dialog fired');
});

test('numbers at the edge of their type end in a message, and the kernel lives on', async () => {
  // u64::MAX bytes asked of a 16-byte file: its bytes, as Python gives (no MemoryError).
  // usize::MAX on wasm32 bytes asked of a 16-byte file: its bytes, as Python gives (no
  // MemoryError); this overflowed a position and killed the kernel before.
  const first = await run('A4', { file: 'my_binary_file.dat', count: '4294967295' });
  assert.match(first, /^First 4294967295 bytes of 'my_binary_file\.dat': b'\\x89PNG/);
  const beyond = await run('A4', { count: '18446744073709551615' });
  // A whole number too large for the cell's type (usize: 32 bits on wasm32) says so, and its limit.
  assert.match(beyond, /OverflowError: input 'count' is too large: the most it can be is 4294967295, not 18446744073709551615/);
  const negative = await run('A4', { count: '-1' });
  assert.match(negative, /ValueError: input 'count' must be a whole number from 0, not -1/);
  const huge = await run('A4', { count: '1e30' });
  assert.match(huge, /ValueError: input 'count' must be a whole number from 0, not '1e30'/);
  // A buffer of i32::MAX bytes is fine (it grows as used); one more is Python's OverflowError.
  const buffers = await run('A7', { size: '2147483648' });
  assert.match(buffers, /raises OverflowError: Python int too large to convert to C int/);
  const count = await cell('A4').locator('.prompt').textContent();
  await run('A4', { count: '4' });
  assert.notEqual(await cell('A4').locator('.prompt').textContent(), count);
  assert.match(await outputText('A4'), /^First 4 bytes/);
  assert.equal(await page.locator('.kernel-status').getAttribute('data-state'), 'idle');
  assert.ok(!pageErrors.some((e) => /KernelPanic|panicked/.test(e)), pageErrors.join('\n'));
});

test('a binary file and a 20 MB file upload whole; a name with markup is shown as text', async () => {
  await page.getByRole('button', { name: 'Show or hide the file browser' }).click();
  await row('/home/user').click();
  const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  await upload([{ name: MARKUP_NAME, mimeType: 'application/octet-stream', buffer: everyByte }]);
  await row(`/home/user/${MARKUP_NAME}`).waitFor();
  assert.equal(await sizeOf(`/home/user/${MARKUP_NAME}`), '256 B');
  assert.equal(await status().innerText(), `Uploaded /home/user/${MARKUP_NAME} (256 B).`);
  assert.equal(await row(`/home/user/${MARKUP_NAME}`).locator('.file-name').textContent(), MARKUP_NAME);
  await row(`/home/user/${MARKUP_NAME}`).click();
  await page.locator('#file-browser pre.file-content').waitFor();
  assert.match(await page.locator('#file-browser pre.file-content').innerText(), /^00000000 {2}00 01 02 03/);

  await row('/home/user').click();
  const started = Date.now();
  await upload(await bigFile('big.bin', 20 * MIB));
  await row('/home/user/big.bin').waitFor({ timeout: 60_000 });
  assert.equal(await sizeOf('/home/user/big.bin'), '20.0 MiB');
  console.log(`20 MiB upload listed after ${Date.now() - started} ms`);
  assert.equal(await panel().locator('img, script').count(), 0);
  assert.deepEqual(dialogs, []);
});

test('a file over the quota is refused before it is read; one over the space left, whole', async () => {
  await row('/home/user').click();
  await upload(await bigFile('huge.bin', 70 * MIB));
  await error().waitFor();
  assert.equal(await error().innerText(),
    '/home/user/huge.bin was not uploaded: it is 70.0 MiB, more than the 64.0 MiB all files may hold together.');
  assert.equal(await row('/home/user/huge.bin').count(), 0);

  // 20 + 20 + 20 MiB fit in 64 MiB; a fourth 20 MiB does not, and leaves no trace.
  await upload(await bigFile('big2.bin', 20 * MIB));
  await row('/home/user/big2.bin').waitFor({ timeout: 60_000 });
  await upload(await bigFile('big3.bin', 20 * MIB));
  await row('/home/user/big3.bin').waitFor({ timeout: 60_000 });
  await upload(await bigFile('big4.bin', 20 * MIB));
  await error().waitFor({ timeout: 60_000 });
  assert.match(await error().innerText(),
    /^OSError: \[Errno 28\] No space left on device: '\/home\/user\/big4\.bin' is 20\.0 MiB, and [34]\.\d MiB of the 64\.0 MiB all files may hold is free$/);
  assert.equal(await row('/home/user/big4.bin').count(), 0, 'no empty file left behind');
  // Replacing big.bin with a larger file that does not fit keeps the old big.bin whole.
  await upload(await bigFile('big.bin', 25 * MIB));
  await page.locator('#file-browser .file-error', { hasText: "'/home/user/big.bin' is 25.0 MiB" }).waitFor({ timeout: 60_000 });
  assert.equal(await sizeOf('/home/user/big.bin'), '20.0 MiB');
  await page.screenshot({ path: join(SHOTS, 'hostile-quota.png') });

  // Everything that was accepted survives a reload (it was saved), and a cell still runs.
  await page.reload();
  await page.locator('.kernel-status[data-state="idle"]').waitFor();
  await page.getByRole('button', { name: 'Show or hide the file browser' }).click();
  for (const name of ['big.bin', 'big2.bin', 'big3.bin']) {
    await row(`/home/user/${name}`).waitFor();
    assert.equal(await sizeOf(`/home/user/${name}`), '20.0 MiB', name);
  }
  assert.match(await run('A4', { count: '8' }), /^First 8 bytes/);
  // A cell that writes past the quota gets Python's error, and the files stay as they were.
  const full = await run('A9', { file: 'more.bin', kb: '8192' });
  assert.match(full, /OSError: \[Errno 28\] No space left on device/);
  assert.equal(await sizeOf('/home/user/big3.bin'), '20.0 MiB');
  await page.getByRole('button', { name: 'Reset all files' }).click();
  await row('/home/user/big.bin').waitFor({ state: 'detached' });
});

test('storage refused: the notebook runs in memory and says so', async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  // Every worker this page starts (the kernel among them) gets an IndexedDB that refuses
  // to open, as a browser in private mode or with storage blocked does. The worker's own
  // script is fetched again and prefixed, since init scripts do not reach workers.
  await context.addInitScript(() => {
    const Real = window.Worker;
    const refuse = 'IDBFactory.prototype.open = function () {'
      + " throw new DOMException('The user denied permission to access the database.', 'SecurityError'); };\n";
    // The page's CSP lets it fetch its own files only (not blob: URLs): worker.js is one.
    window.Worker = function (url, options) {
      const request = new XMLHttpRequest();
      request.open('GET', new URL('worker.js', window.location.href), false);
      request.send();
      const blob = new Blob([refuse + request.responseText], { type: 'text/javascript' });
      return new Real(URL.createObjectURL(blob), options);
    };
    window.Worker.prototype = Real.prototype;
  });
  const refused = await context.newPage();
  const errors = [];
  watchErrors(refused, errors);
  await refused.goto(server.url);
  await refused.locator('.kernel-status[data-state="idle"]').waitFor({ timeout: 20_000 });
  const notice = refused.locator('#storage-notice');
  await notice.waitFor();
  assert.equal(await notice.getAttribute('role'), 'status');
  assert.equal(await notice.innerText(),
    'Files are kept in memory only (the browser refused its storage: SecurityError: '
    + 'The user denied permission '
    + 'to access the database.). The notebook works, but its files are lost when the kernel restarts or the page '
    + 'is closed: download the ones to keep.');
  // It works: a cell writes and reads a file, the file browser lists it.
  const a3 = refused.locator('article#A3');
  await a3.getByRole('button', { name: 'Run cell A3' }).click();
  await refused.locator('article#A3 .outputs', { hasText: '1 line:' }).waitFor();
  await refused.getByRole('button', { name: 'Show or hide the file browser' }).click();
  await refused.locator('#file-browser li[data-path="/home/user/my_notes.txt"]').waitFor();
  await refused.screenshot({ path: join(SHOTS, 'hostile-storage-refused.png') });
  // The page's own storage works: the message is the kernel's, about the files only.
  assert.equal(await page.locator('#storage-notice').isHidden(), true, 'a normal page shows no notice');
  assert.deepEqual(errors.filter((e) => !/files will not persist/.test(e)), []);
  await context.close();
});

test('no errors reached the console and no dialog fired', () => {
  assert.deepEqual(dialogs, []);
  assert.deepEqual(pageErrors, []);
});
