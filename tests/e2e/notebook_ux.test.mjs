// End-to-end, the notebook's habits: the .ipynb export of what the cells show (validated by
// Python's nbformat when installed), inputs remembered across reloads and reset, foldable
// sections and deep links into them, clearing one cell, Run all stopping at an unexpected
// error, Run all pressed before the last cell is drawn, a window that refuses storage, and the page in light, dark and on a tablet
// (screenshots in target/e2e/light.png, dark.png and tablet.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SHOTS, announceMarks, launchChromium, openNotebook, promptText, serveSite, watchErrors } from './harness.mjs';
const TABLE_MIME = 'application/vnd.rust-notebook.table+json';

let server;
let browser;
let context;
let page;
const pageErrors = [];

const watch = (p) => watchErrors(p, pageErrors);

before(async () => {
  server = await serveSite();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  watch(page);
  await openNotebook(page, server.url);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const cell = (id, p = page) => p.locator(`article#${id}`);
const promptOf = (id) => promptText(cell(id));
const field = (id, name) => cell(id).locator(`input[name="${name}"]`);

async function kernelIdle(p = page, timeout = 10_000) {
  await p.locator('.kernel-status[data-state="idle"]').waitFor({ timeout });
}

async function runCell(id, state = 'done', p = page) {
  await cell(id, p).getByRole('button', { name: `Run cell ${id}`, exact: true }).click();
  await p.locator(`article#${id}[data-state="${state}"]`).waitFor({ timeout: 15_000 });
}

async function queueDrained(timeout = 60_000) {
  await page.waitForFunction(
    () => document.querySelectorAll('article[data-state="queued"], article[data-state="running"]').length === 0,
    null,
    { timeout },
  );
}

/** Asserts the element's top is in the window, below the sticky toolbar. */
async function assertInView(id, p = page) {
  const toolbar = await p.locator('header.toolbar').boundingBox();
  const box = await p.locator(`#${id}`).boundingBox();
  const height = p.viewportSize().height;
  assert.ok(box && box.y >= toolbar.y + toolbar.height - 1 && box.y < height,
    `${id} is in view below the toolbar (y = ${box?.y}, toolbar ends at ${toolbar.y + toolbar.height})`);
}

const joined = (lines) => {
  assert.ok(Array.isArray(lines), `nbformat text is a list of lines: ${JSON.stringify(lines)}`);
  return lines.join('');
};

test('Export .ipynb downloads the notebook with the outputs the cells show', async () => {
  await runCell('A1');
  await runCell('A5');
  await field('A4', 'count').fill('ten');
  await runCell('A4', 'failed');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export .ipynb: download the notebook with its outputs' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'notebook.ipynb');
  const file = await download.path();
  const nb = JSON.parse(await readFile(file, 'utf8'));
  if (spawnSync('python3', ['-c', 'import nbformat']).status === 0) {
    const check = spawnSync('python3', ['-c',
      'import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT))', file],
    { encoding: 'utf8' });
    assert.equal(check.status, 0, `nbformat rejects the download:\n${check.stderr}`);
  } else {
    console.log('note: python3 with nbformat is not installed; the download was not validated by nbformat');
  }

  assert.equal(nb.nbformat, 4);
  assert.equal(nb.nbformat_minor, 5);
  assert.equal(nb.metadata.kernelspec.language, 'rust');
  assert.equal(nb.metadata.language_info.name, 'rust');
  const onPage = await page.evaluate(() => ({
    sections: document.querySelectorAll('section.nb-section').length,
    markdown: document.querySelectorAll('.markdown-cell').length,
    code: document.querySelectorAll('article.code-cell').length,
  }));
  assert.equal(nb.cells.length, 1 + onPage.sections + onPage.markdown + onPage.code, 'title, headings and every cell');
  assert.equal(nb.cells.filter((c) => c.cell_type === 'code').length, onPage.code);
  for (const c of nb.cells) {
    assert.match(c.id, /^[A-Za-z0-9_-]{1,64}$/);
    assert.ok(Array.isArray(c.source));
  }
  assert.equal(new Set(nb.cells.map((c) => c.id)).size, nb.cells.length, 'cell ids are unique');
  assert.ok(nb.cells.some((c) => c.cell_type === 'markdown' && joined(c.source) === '## A. Files'));

  const code = (id) => nb.cells.find((c) => c.cell_type === 'code' && c.id === id);
  const a1 = code('A1');
  assert.equal(joined(a1.source), await cell('A1').locator('pre.source').textContent());
  assert.equal(`In [${a1.execution_count}]:`, await promptOf('A1'));
  assert.equal(a1.outputs.length, 1);
  assert.equal(a1.outputs[0].output_type, 'stream');
  assert.equal(a1.outputs[0].name, 'stdout');
  assert.equal(joined(a1.outputs[0].text), await cell('A1').locator('pre.stream').textContent());

  const a5 = code('A5');
  assert.equal(`In [${a5.execution_count}]:`, await promptOf('A5'));
  const tables = a5.outputs.filter((o) => o.output_type === 'display_data' && o.data[TABLE_MIME]);
  assert.equal(tables.length, await cell('A5').locator('table').count(), 'one table output per table shown');
  assert.deepEqual(tables[0].data[TABLE_MIME].headers, ['fd', 'path', 'mode', 'opened by']);
  assert.deepEqual(tables[0].metadata, {});
  assert.match(joined(tables[0].data['text/plain']), /^fd\s+path\s+mode\s+opened by\n/);
  assert.ok(a5.outputs.some((o) => o.output_type === 'stream'), 'A5 prints too');

  const a4 = code('A4');
  assert.deepEqual(a4.metadata.rust_notebook.inputs, { file: 'my_binary_file.dat', count: 'ten', then: 'missing.txt' });
  const error = a4.outputs.at(-1);
  assert.equal(error.output_type, 'error');
  assert.equal(error.ename, 'ValueError');
  assert.match(error.evalue, /input 'count' must be/);
  assert.equal(error.traceback.join('\n'), await cell('A4').locator('pre.error').textContent());

  const a2 = code('A2');
  assert.equal(a2.execution_count, null, 'a cell not run has no count');
  assert.deepEqual(a2.outputs, []);
});

test('an edited input is remembered across a reload; Reset inputs restores every default', async () => {
  await field('A3', 'note').fill('A remembered note.');
  await page.reload();
  await kernelIdle();
  assert.equal(await field('A3', 'note').inputValue(), 'A remembered note.');
  assert.equal(await field('A4', 'count').inputValue(), 'ten', 'the export test’s edit is remembered too');
  assert.equal(await field('A3', 'file').inputValue(), 'my_notes.txt', 'untouched fields keep their default');

  await page.getByRole('button', { name: "Reset inputs: every cell's defaults" }).click();
  assert.equal(await field('A3', 'note').inputValue(), 'A line appended by A3.');
  assert.equal(await field('A4', 'count').inputValue(), '10');
  await page.reload();
  await kernelIdle();
  assert.equal(await field('A3', 'note').inputValue(), 'A line appended by A3.', 'reset forgot the saved value');
  assert.equal(await field('A4', 'count').inputValue(), '10');
});

test('Run all stops at the first unexpected error; the cells after it go back to idle', async () => {
  await field('A4', 'count').fill('ten');
  await page.getByRole('button', { name: 'Run all cells' }).click();
  await queueDrained();
  for (const id of ['A1', 'A2', 'A3']) assert.equal(await cell(id).getAttribute('data-state'), 'done', id);
  assert.equal(await cell('A4').getAttribute('data-state'), 'failed');
  const after = await page.$$eval('article.code-cell', (cells) => {
    const i = cells.findIndex((c) => c.id === 'A4');
    return cells.slice(i + 1).map((c) => [c.id, c.dataset.state, c.querySelector('.prompt').textContent]);
  });
  assert.ok(after.length > 10);
  for (const [id, state, prompt] of after) {
    assert.equal(state, 'idle', `${id} was dropped from the queue`);
    assert.equal(prompt, 'In [ ]:', `${id} never ran`);
  }
  await page.getByRole('button', { name: "Reset inputs: every cell's defaults" }).click();
});

test('Run all pressed the moment the kernel is ready, with cells still being drawn, runs them in page order', async () => {
  // A window of its own (its own files), which says when it is ready on its console: the
  // page draws its cells a few per task, so the kernel is often ready before the last one.
  const own = await browser.newContext({ viewport: { width: 1200, height: 900 }, serviceWorkers: 'block' });
  const seen = await announceMarks(own, ['notebook-ready']);
  const p = await own.newPage();
  watch(p);
  const ready = seen(p, 'notebook-ready', 15_000);
  await p.goto(server.url);
  await ready;
  const [drawn, whole] = await p.evaluate(() => {
    document.querySelector('button.run-all').click();
    return [document.querySelectorAll('article.code-cell').length, performance.getEntriesByName('notebook-drawn').length > 0];
  });
  console.log(`Run all pressed with ${drawn} cells drawn${whole ? ' (all of them)' : ', more to come'}`);
  const first = ['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8'];
  await p.locator('article#A8[data-state="done"]').waitFor({ timeout: 30_000 });
  await p.getByRole('button', { name: 'Stop the running cell' }).click();
  for (const [n, id] of first.entries()) {
    assert.equal(await cell(id, p).getAttribute('data-state'), 'done', id);
    assert.equal(await promptText(cell(id, p)), `In [${n + 1}]:`, `${id} ran in page order`);
  }
  assert.match(await cell('A1', p).locator('.outputs').innerText(), /^File content:/);
  await own.close();
});

test('Clear output of one cell leaves the other cells alone', async () => {
  await runCell('A1');
  await runCell('A2');
  const count = await promptOf('A1');
  await page.getByRole('button', { name: 'Clear output of cell A1', exact: true }).click();
  assert.equal(await cell('A1').locator('.outputs > *').count(), 0);
  assert.equal(await promptOf('A1'), count, 'the count stays, as in Jupyter');
  assert.ok(await cell('A2').locator('.outputs > *').count() > 0, 'A2 keeps its output');
});

test('sections fold and unfold, stay folded across a reload, and links into them unfold them', async () => {
  const toggle = page.getByRole('button', { name: 'Show or hide section A. Files' });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(await toggle.getAttribute('aria-controls'), 'section-A-body');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.ok(await cell('A1').isHidden(), 'folded cells are hidden');
  assert.ok(await page.locator('#section-A .fold-note').isVisible(), 'the heading says cells are hidden');
  assert.ok(await cell('B1').isVisible(), 'other sections stay open');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.ok(await cell('A1').isVisible());

  await toggle.click();
  await page.reload();
  await kernelIdle();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false', 'folding is remembered');
  assert.ok(await cell('A13').isHidden());

  // A deep link typed while the page is open (only the hash changes).
  await page.goto(`${server.url}#A13`);
  await page.waitForFunction(() => document.querySelector('#section-A .fold').getAttribute('aria-expanded') === 'true');
  await assertInView('A13');

  // A deep link that opens the page.
  await toggle.click();
  const linked = await context.newPage();
  watch(linked);
  await openNotebook(linked, `${server.url}#A13`);
  const linkedToggle = linked.getByRole('button', { name: 'Show or hide section A. Files' });
  assert.equal(await linkedToggle.getAttribute('aria-expanded'), 'true');
  await assertInView('A13', linked);
  await linked.close();

  // A contents link.
  const logging = page.getByRole('button', { name: 'Show or hide section B. Logging' });
  await logging.click();
  assert.ok(await cell('B1').isHidden());
  await page.locator('nav.contents a', { hasText: 'B. Logging' }).click();
  assert.equal(await logging.getAttribute('aria-expanded'), 'true');
  assert.ok(await cell('B1').isVisible());
  await toggle.click(); // A was folded again here before the linked page opened
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
});

test('every control has a name for screen readers and shows keyboard focus', async () => {
  const unnamed = await page.$$eval('button, input, select, summary', (controls) => controls
    .filter((c) => !(c.getAttribute('aria-label') || c.closest('label') || c.textContent.trim()))
    .map((c) => c.outerHTML.slice(0, 80)));
  assert.deepEqual(unnamed, []);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  for (let i = 0; i < 4; i += 1) {
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement);
      return [document.activeElement.tagName, style.outlineStyle, style.outlineWidth];
    });
    assert.notEqual(outline[1], 'none', `${outline[0]} shows focus`);
    assert.notEqual(outline[2], '0px', `${outline[0]} shows focus`);
  }
});

/** Scrolls so that the cell's output is near the top, under the toolbar. */
async function showcase(id, p = page) {
  await p.evaluate((cellId) => {
    const outputs = document.querySelector(`article#${cellId} .outputs`);
    const toolbar = document.querySelector('header.toolbar').getBoundingClientRect().height;
    window.scrollBy(0, outputs.getBoundingClientRect().top - toolbar - 80);
  }, id);
}

test('light and dark follow the system; screenshots are saved', async () => {
  await mkdir(SHOTS, { recursive: true });
  await runCell('A1');
  await field('A4', 'count').fill('ten');
  await runCell('A4', 'failed');
  await runCell('A5');
  await page.getByRole('button', { name: "Reset inputs: every cell's defaults" }).click();
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  await showcase('A4');
  const light = await background();
  await page.screenshot({ path: join(SHOTS, 'light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await background();
  await page.screenshot({ path: join(SHOTS, 'dark.png') });
  assert.notEqual(light, dark);
  assert.equal(light, 'rgb(250, 250, 250)');
  assert.equal(dark, 'rgb(13, 17, 23)');
  await page.emulateMedia({ colorScheme: 'light' });
});

test('on a tablet (820×1180) nothing overflows sideways; a screenshot is saved', async () => {
  const tablet = await context.newPage();
  watch(tablet);
  await tablet.setViewportSize({ width: 820, height: 1180 });
  await openNotebook(tablet, server.url);
  for (const id of ['A1', 'A5', 'A6']) await runCell(id, 'done', tablet);
  const overflow = () => tablet.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  }));
  let { scroll, inner } = await overflow();
  assert.ok(scroll <= inner, `page is ${scroll} px wide in a ${inner} px window`);
  await tablet.getByRole('button', { name: 'Show or hide the log viewer' }).click();
  ({ scroll, inner } = await overflow());
  assert.ok(scroll <= inner, `with the log viewer open: ${scroll} px in ${inner} px`);
  await tablet.getByRole('button', { name: 'Show or hide the log viewer' }).click();
  await tablet.evaluate(() => window.scrollTo(0, 0));
  await tablet.locator('nav.contents a', { hasText: 'A. Files' }).click();
  await assertInView('section-A', tablet);
  await showcase('A5', tablet);
  await tablet.screenshot({ path: join(SHOTS, 'tablet.png') });
  await tablet.close();
});

test('with storage refused the page works and simply remembers nothing', async () => {
  // No service worker either: this window stands for a private one that keeps nothing.
  const refused = await browser.newContext({ viewport: { width: 1200, height: 900 }, serviceWorkers: 'block' });
  const p = await refused.newPage();
  watch(p);
  await p.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() { throw new DOMException('storage is off in this window', 'SecurityError'); },
    });
  });
  await p.goto(server.url);
  await kernelIdle(p);
  const note = cell('A3', p).locator('input[name="note"]');
  await note.fill('Not kept.');
  const toggle = p.getByRole('button', { name: 'Show or hide section A. Files' });
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  await runCell('A3', 'done', p);
  assert.match(await cell('A3', p).locator('.outputs').innerText(), /Not kept\./);
  await p.getByRole('button', { name: "Reset inputs: every cell's defaults" }).click();
  assert.equal(await note.inputValue(), 'A line appended by A3.');
  await p.reload();
  await kernelIdle(p);
  assert.equal(await note.inputValue(), 'A line appended by A3.');
  await refused.close();
});

test('no errors reached the console', async () => {
  assert.deepEqual(pageErrors, []);
});
