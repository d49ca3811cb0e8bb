// End-to-end: what a large file costs in memory, on the release site in dist/, in headless
// Chromium. Uploads a 50 MiB file, reloads (the kernel reads it back from the browser's
// storage), downloads it and checks the bytes are the upload's. WebAssembly memory never
// shrinks, so the byte length of each module's memory after a step is the peak so far:
// the kernel's may grow by at most 3 times the file (its copy in the file system, one on
// the way in or out, and the save's), the page's by at most once (it should hold none).
// Also: an upload whose name is a path is refused, and nothing lands outside its folder.
// Prints `FIGURE` lines (MB = 10^6 bytes) for the README's figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, openNotebook, notebookReady, serveSite, watchErrors } from './harness.mjs';

const MIB = 1024 * 1024;
const SIZE = 50 * MIB;
const KERNEL_BOUND = 3; // times the file
const PAGE_BOUND = 1;

let server;
let browser;
let page;
let scratch;
let upload; // the file's path on disk
let bytes; // its contents
const pageErrors = [];

/** `size` bytes that differ everywhere (xorshift32), so a byte moved or lost shows. */
function noise(size) {
  const data = Buffer.alloc(size);
  let x = 2463534242;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    data.writeUInt32LE(x, i);
  }
  return data;
}

before(async () => {
  server = await serveSite();
  browser = await launchChromium();
  scratch = await mkdtemp(join(tmpdir(), 'notebook-big-file-'));
  bytes = noise(SIZE);
  // On disk: Playwright refuses in-memory files over 50 MB.
  upload = join(scratch, 'big.bin');
  await writeFile(upload, bytes);
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  page.setDefaultTimeout(60_000);
  watchErrors(page, pageErrors);
  page.on('dialog', (dialog) => dialog.accept()); // "Replace ...?" if a run left the file
  await openNotebook(page, server.url);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const panel = () => page.locator('#file-browser');
const row = (path) => page.locator(`#file-browser li[role="treeitem"][data-path="${path}"]`);
const status = () => page.locator('#file-browser .file-status');
const error = () => page.locator('#file-browser .file-error');
const mb = (n) => (n / 1e6).toFixed(1);

/** The glue module's URL: the page and the kernel's worker both imported it from there. */
const glueUrl = () => page.evaluate(() => document.querySelector('link[rel="modulepreload"]').href);

/** The kernel's worker: the one the page's early script started (`worker.js`), or the
 * page's only worker (a kernel the page started itself runs from a Blob URL). */
async function kernelWorker() {
  for (let tries = 0; tries < 100; tries += 1) {
    const workers = page.workers();
    const kernel = workers.find((w) => w.url().includes('worker.js')) ?? (workers.length === 1 ? workers[0] : null);
    if (kernel) return kernel;
    await page.waitForTimeout(100);
  }
  throw new Error(`no kernel worker among ${page.workers().map((w) => w.url())}`);
}

/** The byte length of the page's and of the kernel's WebAssembly memory now. */
async function memory() {
  const url = await glueUrl();
  // The glue's init, called again, answers the module's exports at once: `memory` among them.
  const read = async (url) => (await (await import(url)).default()).memory.buffer.byteLength;
  const pageBytes = await page.evaluate(read, url);
  const kernelBytes = await (await kernelWorker()).evaluate(read, url);
  return { page: pageBytes, kernel: kernelBytes };
}

/** Resolves once the kernel's save of `path` is committed in IndexedDB (it saves shortly
 * after a change, in the background): its record is there, and its contents' size. */
async function saved(path, size) {
  await page.waitForFunction(async ([path, size]) => {
    const request = (r) => new Promise((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const db = await request(indexedDB.open('rust-notebook-files'));
    try {
      const tx = db.transaction(['paths', 'contents'], 'readonly');
      const record = await request(tx.objectStore('paths').get(path));
      const data = await request(tx.objectStore('contents').get(path));
      return record?.kind === 'file' && data?.length === size;
    } finally {
      db.close();
    }
  }, [path, size], { timeout: 60_000, polling: 250 });
}

let start;
test('a 50 MiB upload costs the kernel at most 3 times its size and the page at most once', async () => {
  start = await memory();
  console.log(`memory at start: page ${mb(start.page)} MB, kernel ${mb(start.kernel)} MB`);
  await page.getByRole('button', { name: 'Show or hide the file browser' }).click();
  await row('/home/user').click();
  await panel().locator('input[type="file"]').setInputFiles(upload);
  await status().filter({ hasText: 'Uploaded /home/user/big.bin (50.0 MiB).' }).waitFor();
  await row('/home/user/big.bin').waitFor();
  assert.equal(await row('/home/user/big.bin').locator('.file-size').innerText(), '50.0 MiB');
  await saved('/home/user/big.bin', SIZE);
  const after = await memory();
  const kernel = after.kernel - start.kernel;
  const pageGrowth = after.page - start.page;
  console.log(`after the upload and its save: page ${mb(after.page)} MB, kernel ${mb(after.kernel)} MB`);
  console.log(`FIGURE big_file_upload_kernel_growth_mb ${mb(kernel)}`);
  console.log(`FIGURE big_file_upload_page_growth_mb ${mb(pageGrowth)}`);
  assert.ok(kernel <= KERNEL_BOUND * SIZE, `the kernel grew by ${mb(kernel)} MB for a ${mb(SIZE)} MB file`);
  assert.ok(pageGrowth <= PAGE_BOUND * SIZE, `the page grew by ${mb(pageGrowth)} MB for a ${mb(SIZE)} MB file`);
});

test('after a reload, its download has the same bytes, within the same bounds', async () => {
  await page.reload();
  await notebookReady(page, 60_000);
  const loaded = await memory();
  console.log(`after the reload: page ${mb(loaded.page)} MB, kernel ${mb(loaded.kernel)} MB`);
  const toggle = page.getByRole('button', { name: 'Show or hide the file browser' });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await row('/home/user/big.bin').click(); // opens its preview too: the first 64 KiB
  await page.locator('#file-browser h3.file-path', { hasText: '/home/user/big.bin' }).waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download the selected file', exact: true }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'big.bin');
  const got = await readFile(await download.path());
  assert.equal(got.length, SIZE);
  assert.ok(got.equals(bytes), 'the downloaded bytes are the uploaded ones');
  assert.match(await status().innerText(), /^Downloading \/home\/user\/big\.bin \(50\.0 MiB\)\.$/);
  const after = await memory();
  // Against the first kernel's and page's start: the new kernel read the file back as well.
  const kernel = after.kernel - start.kernel;
  const pageGrowth = after.page - start.page;
  console.log(`after the download: page ${mb(after.page)} MB, kernel ${mb(after.kernel)} MB`);
  console.log(`FIGURE big_file_reload_download_kernel_growth_mb ${mb(kernel)}`);
  console.log(`FIGURE big_file_reload_download_page_growth_mb ${mb(pageGrowth)}`);
  assert.ok(kernel <= KERNEL_BOUND * SIZE, `the kernel grew by ${mb(kernel)} MB for a ${mb(SIZE)} MB file`);
  assert.ok(pageGrowth <= PAGE_BOUND * SIZE, `the page grew by ${mb(pageGrowth)} MB for a ${mb(SIZE)} MB file`);
});

test('an upload named as a path is refused, and nothing is written outside its folder', async () => {
  await row('/home/user').click();
  // Each name as the kernel quotes it (Python's repr).
  for (const [name, quoted] of [['../../escape.txt', "'../../escape.txt'"], ['..\\..\\escape.txt', "'..\\\\..\\\\escape.txt'"], ['..', "'..'"]]) {
    await panel().locator('input[type="file"]').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from('out') });
    await error().filter({ hasText: `${quoted} was not uploaded` }).waitFor();
    assert.match(await error().innerText(), /^ValueError: '.*' was not uploaded: an upload's name is a file's name, not a path \(.+\)$/);
  }
  assert.equal(await page.locator('#file-browser li[data-path="/escape.txt"]').count(), 0);
  assert.equal(await page.locator('#file-browser li[data-path$="escape.txt"]').count(), 0);
  assert.deepEqual(pageErrors, []);
});
