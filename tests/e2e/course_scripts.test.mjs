// End-to-end, the course's script cells: one in every section, right after the Rust cell it
// redoes, showing its JavaScript in an editor; it runs for real; a person's edit is kept
// across a reload, and Reset puts the course's code back (kept too); a script cell can be
// added below it; the export holds it with its code. Screenshot in target/e2e/course_scripts.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SHOTS, launchChromium, notebookReady, openNotebook, outputsText, serveSite, watchErrors } from './harness.mjs';

let server;
let browser;
let page;
const pageErrors = [];

before(async () => {
  server = await serveSite();
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  watchErrors(page, pageErrors);
  await openNotebook(page, server.url);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const cell = (id) => page.locator(`article#${id}`);
const editor = (id) => cell(id).locator('textarea.editor-input');
const button = (name) => page.getByRole('button', { name, exact: true });
const COURSE = ['A13-js', 'B6-js', 'C3-js', 'D9-js', 'E3-js', 'F4-js', 'G7-js'];

async function run(id, timeout = 60_000) {
  await cell(id).getByRole('button', { name: `Run cell ${id}`, exact: true }).click();
  await page.locator(`article#${id}:is([data-state="done"], [data-state="failed"])`).waitFor({ timeout });
  return outputsText(cell(id));
}

test('every section has a course script cell right after the Rust cell it redoes', async () => {
  await page.waitForFunction(() => document.getElementById('notebook-end') !== null, null, { timeout: 30_000 });
  const order = await page.$$eval('article.code-cell', (cells) => cells.map((c) => c.id));
  for (const id of COURSE) {
    const at = order.indexOf(id);
    assert.ok(at > 0, `${id} is on the page`);
    assert.equal(order[at - 1], id.replace('-js', ''), `${id} follows the cell it redoes`);
    assert.match(await editor(id).inputValue(), new RegExp(`^// ${id.replace('-js', '')} in JavaScript`));
    assert.equal(await cell(id).getByRole('button', { name: `Delete script cell ${id}` }).count(), 0, 'the course keeps it');
  }
});

test('a course script runs in the page: A13-js seeks and counts raw calls, F4-js interleaves', async () => {
  const text = await run('A13-js');
  assert.match(text, /line 1: "first line\\n" now at 11/);
  assert.match(text, /default \(8 KB buffer\)\s+1\b/);
  assert.match(text, /0 \(no buffer\)\s+100\b/);
  const threads = await run('F4-js');
  const order = threads.split('\n').filter((l) => /^(number|letter) /.test(l));
  assert.deepEqual(order.slice(0, 4), ['number 1', 'letter a', 'number 2', 'letter b']);
});

test('an edit is kept across a reload; Reset puts the course code back; a cell can go below it', async () => {
  const course = await editor('D9-js').inputValue();
  await editor('D9-js').fill(`${course}\nprint("my own line")\n`);
  await page.reload();
  await notebookReady(page, 30_000);
  await editor('D9-js').waitFor();
  assert.equal(await editor('D9-js').inputValue(), `${course}\nprint("my own line")\n`, 'the edit is kept');
  assert.match(await run('D9-js'), /my own line/);
  await button('Put back the course\'s code of D9-js').click();
  assert.equal(await editor('D9-js').inputValue(), course);
  await page.reload();
  await notebookReady(page, 30_000);
  await editor('D9-js').waitFor();
  assert.equal(await editor('D9-js').inputValue(), course, 'after Reset, the course code stays');

  await button('Add a script cell below D9-js').click();
  const order = await page.$$eval('article.code-cell', (cells) => cells.map((c) => c.id));
  assert.match(order[order.indexOf('D9-js') + 1], /^js-\d+$/, 'a person\'s cell right below');
});

test('the export holds the course script cells with their code, as JavaScript', async () => {
  await editor('C3-js').fill('factorial(3)\n');
  const [download] = await Promise.all([page.waitForEvent('download'), button('Export .ipynb: download the notebook with its outputs').click()]);
  const nb = JSON.parse(await readFile(await download.path(), 'utf8'));
  const c3 = nb.cells.find((c) => c.id === 'C3-js');
  assert.equal(c3.metadata.language, 'javascript');
  assert.equal(c3.metadata.rust_notebook.course_script, 'C3-js');
  assert.deepEqual(c3.source, ['factorial(3)\n']);
  await button('Put back the course\'s code of C3-js').click();
  await mkdir(SHOTS, { recursive: true });
  await cell('A13-js').evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.waitForTimeout(300); // sections off screen are painted as they come into view
  await cell('A13-js').screenshot({ path: join(SHOTS, 'course_scripts.png') });
});

test('no errors reached the console', () => {
  assert.deepEqual(pageErrors, []);
});
