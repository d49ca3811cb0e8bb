// End-to-end, script cells on the page: added below a cell and at the end, typed into by
// keyboard (Tab, Shift+Tab, Enter keeping the indentation, Escape then Tab leaving the
// editor), coloured and numbered, run (the request carries the code; the cell shows the
// kernel's answer; Run all runs them in their places), moved, kept across a reload and a kernel restart, deleted, exported as
// .ipynb and opened again (and a bad file refused with a message). Screenshot in
// target/e2e/script_cells.png (and _dark.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
  // Every request the page sends its kernel (JSON text), to see what Run sends; and a hook
  // to change what the kernel says before the page hears it (`window.fromKernel`).
  await context.addInitScript(() => {
    window.sentToKernel = [];
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message, ...rest) {
      if (typeof message === 'string') window.sentToKernel.push(message);
      return post.call(this, message, ...rest);
    };
    const onmessage = Object.getOwnPropertyDescriptor(Worker.prototype, 'onmessage');
    Object.defineProperty(Worker.prototype, 'onmessage', {
      get() { return onmessage.get.call(this); },
      set(handler) {
        const hooked = (event) => handler(window.fromKernel && typeof event.data === 'string'
          ? new MessageEvent('message', { data: window.fromKernel(event.data) })
          : event);
        onmessage.set.call(this, handler && hooked);
      },
    });
  });
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
/** The ids of the script cells and of their neighbours, in page order. */
const order = () => page.$$eval('article.code-cell', (cells) => cells.map((c) => c.id));
const scriptIds = async () => (await order()).filter((id) => id.startsWith('js-'));
const value = (id) => editor(id).inputValue();
const focusedClass = () => page.evaluate(() => document.activeElement?.className ?? '');

test('a script cell is added below a cell, typed into by keyboard, coloured and numbered', async () => {
  assert.deepEqual(await scriptIds(), [], 'a fresh visit has no script cells');
  await button('Add a script cell below cell A1').click();
  await cell('js-1').waitFor();
  const ids = await order();
  assert.equal(ids[ids.indexOf('A1') + 1], 'js-1', 'right below A1');
  assert.equal(await focusedClass(), 'editor-input', 'the keyboard is in the new editor');
  assert.equal(await editor('js-1').getAttribute('aria-label'), 'Code of script cell js-1 (JavaScript)');
  const help = await editor('js-1').getAttribute('aria-describedby');
  assert.match(await page.locator(`#${help}`).textContent(), /Escape then Tab leaves the editor/);

  // Enter keeps the indentation, one level more after an opening brace.
  await page.keyboard.type('function twice(x) {');
  await page.keyboard.press('Enter');
  await page.keyboard.type('const s = `${x}${x}`; // doubled');
  await page.keyboard.press('Enter');
  await page.keyboard.type('return s;');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.type('}');
  await page.keyboard.press('Enter');
  await page.keyboard.type('print(twice(21))');
  assert.equal(await value('js-1'),
    'function twice(x) {\n  const s = `${x}${x}`; // doubled\n  return s;\n}\nprint(twice(21))');

  // Tab indents the selected lines; Shift+Tab takes it back; a caret's Tab inserts spaces.
  await editor('js-1').evaluate((t) => t.setSelectionRange(0, t.value.indexOf('}')));
  await page.keyboard.press('Tab');
  assert.match(await value('js-1'), /^ {2}function twice\(x\) \{\n {4}const s/);
  await page.keyboard.press('Shift+Tab');
  assert.match(await value('js-1'), /^function twice\(x\) \{\n {2}const s/);
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Home');
  await page.keyboard.press('Tab');
  assert.match(await value('js-1'), /\n {2}print\(twice\(21\)\)$/);
  await page.keyboard.press('Shift+Tab');
  assert.match(await value('js-1'), /\nprint\(twice\(21\)\)$/);
  // Undo takes an indentation back in one step.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Control+z');
  assert.match(await value('js-1'), /\nprint\(twice\(21\)\)$/);

  // Coloured and numbered: one line block per line, keywords, strings and comments.
  const colours = cell('js-1').locator('.editor-colours');
  assert.equal(await colours.locator(':scope > span').count(), 5);
  assert.equal(await colours.locator('.tok-kw').first().textContent(), 'function');
  assert.ok((await colours.locator('.tok-str').allTextContents()).includes('`${'));
  assert.equal(await colours.locator('.tok-com').textContent(), '// doubled');
  assert.equal(await colours.textContent(), `${await value('js-1')}\n`, 'the coloured copy is the text');
  // The copy sizes the textarea: it is as tall as its lines, and nothing is hidden in it.
  const [copyHeight, boxHeight, scrollHeight] = await editor('js-1').evaluate((t) =>
    [t.previousElementSibling.offsetHeight, t.offsetHeight, t.scrollHeight]);
  assert.ok(Math.abs(copyHeight - boxHeight) <= 1 && scrollHeight <= boxHeight + 1,
    `copy ${copyHeight}, textarea ${boxHeight}, its content ${scrollHeight}`);

  // Escape, then Tab, leaves the editor; the code is unchanged.
  const before = await value('js-1');
  await editor('js-1').focus();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assert.notEqual(await focusedClass(), 'editor-input', 'the focus moved on');
  assert.equal(await value('js-1'), before);
});

test('Run sends the code with the request, and the cell shows what the kernel answers', async () => {
  await cell('js-1').getByRole('button', { name: 'Run cell js-1', exact: true }).click();
  await page.locator('article#js-1:is([data-state="done"], [data-state="failed"])').waitFor({ timeout: 15_000 });
  const sent = await page.evaluate(() => window.sentToKernel.map((m) => JSON.parse(m))
    .filter((m) => m.msg_type === 'execute_request'));
  const request = sent.at(-1);
  assert.equal(request.content.cell_id, 'js-1');
  assert.equal(request.content.code, await value('js-1'));
  assert.notEqual(await outputsText(cell('js-1')), '', 'the kernel answered into the cell');
  assert.match(await cell('js-1').locator('.prompt').textContent(), /^In \[\d*\]:$/);
});

async function runAndWait(id) {
  await cell(id).getByRole('button', { name: `Run cell ${id}`, exact: true }).click();
  await page.locator(`article#${id}:is([data-state="done"], [data-state="failed"])`).waitFor({ timeout: 15_000 });
}

test('the line an error was raised at is marked in the editor until the next run', async () => {
  const code = await value('js-1');
  // `undefined` has no properties: line 2 throws.
  await editor('js-1').fill('let probe;\nconst doubled = probe.value * 2;\nprint(doubled)');
  await runAndWait('js-1');
  assert.match(await outputsText(cell('js-1')), /TypeError/);
  const marked = cell('js-1').locator('.editor-colours > .error-line');
  assert.equal(await marked.count(), 1);
  assert.equal(await marked.textContent(), 'const doubled = probe.value * 2;\n', 'the second line');
  assert.equal(await cell('js-1').locator('.editor-error').textContent(), 'Error at line 2. ');
  assert.equal(await editor('js-1').getAttribute('aria-invalid'), 'true');
  // Typing keeps the mark where it was until the cell runs again.
  await editor('js-1').press('End');
  await page.keyboard.type(' ');
  await page.keyboard.press('Backspace');
  assert.equal(await marked.count(), 1);
  await editor('js-1').fill(code);
  await runAndWait('js-1');
  assert.match(await outputsText(cell('js-1')), /^2121$/m, 'the script ran for real');
  assert.equal(await marked.count(), 0, 'a run without an error marks none');
  assert.equal(await editor('js-1').getAttribute('aria-invalid'), null);
});

test('Shift+Enter in an editor runs its cell and moves into the next', async () => {
  await button('Add a script cell below js-1').click();
  await cell('js-2').waitFor();
  await page.keyboard.type('1 + 1');
  await editor('js-1').focus();
  const runs = await page.evaluate(() => window.sentToKernel.length);
  await page.keyboard.press('Shift+Enter');
  assert.doesNotMatch(await value('js-1'), /\n$/);
  assert.equal(await page.evaluate(() => document.activeElement.closest('article')?.id), 'js-2');
  await page.waitForFunction((n) => window.sentToKernel.length > n, runs);
  await page.locator('article#js-1:is([data-state="done"], [data-state="failed"])').waitFor({ timeout: 15_000 });
});

test('Run all runs the script cells in their places', async () => {
  const from = await page.evaluate(() => window.sentToKernel.length);
  await button('Run all cells').click();
  await page.waitForFunction((n) => window.sentToKernel.slice(n).some((m) => m.includes('"js-1"')), from, { timeout: 30_000 });
  await button('Stop the running cell').click();
  await page.waitForFunction(
    () => document.querySelectorAll('article[data-state="queued"], article[data-state="running"]').length === 0,
    null, { timeout: 15_000 });
  const runs = await page.evaluate((n) => window.sentToKernel.slice(n).map((m) => JSON.parse(m))
    .filter((m) => m.msg_type === 'execute_request').map((m) => m.content.cell_id), from);
  assert.deepEqual(runs.slice(0, 2), ['A1', 'js-1'], 'js-1 right after A1, as on the page');
});

test('script cells are added at the end, moved, and kept across a reload and a restart', async () => {
  await button('Add a script cell at the end of the notebook').click();
  await cell('js-3').waitFor();
  await page.keyboard.type("print('the end')");
  let ids = await order();
  assert.equal(ids.at(-1), 'js-3', 'after the last section');
  assert.equal(await page.evaluate(() => document.getElementById('js-3').previousElementSibling.id), 'notebook-end');

  // js-2 up: past js-1 (same place); up again: past A1, to the end of what comes before.
  await button('Move script cell js-2 up').click();
  ids = await order();
  assert.deepEqual(ids.slice(ids.indexOf('A1'), ids.indexOf('A1') + 3), ['A1', 'js-2', 'js-1']);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')),
    'Move script cell js-2 up', 'the focus stays on the button');
  await button('Move script cell js-2 down').click();
  await button('Move script cell js-2 down').click();
  ids = await order();
  assert.deepEqual(ids.slice(ids.indexOf('A1'), ids.indexOf('A1') + 4), ['A1', 'js-1', 'A2', 'js-2'], 'past A2');
  // The end's cell moves up past the last catalogue cell.
  await button('Move script cell js-3 up').click();
  ids = await order();
  assert.equal(ids.at(-1), 'js-3');
  assert.notEqual(await page.evaluate(() => document.getElementById('js-3').previousElementSibling.id), 'notebook-end');
  await button('Move script cell js-3 down').click();

  const codes = { 'js-1': await value('js-1'), 'js-2': await value('js-2'), 'js-3': await value('js-3') };
  const placed = await order();
  await page.reload();
  await notebookReady(page);
  assert.deepEqual(await order(), placed, 'the same places after a reload');
  for (const [id, code] of Object.entries(codes)) assert.equal(await value(id), code, `${id}'s code is kept`);
  assert.equal(await cell('js-1').locator('.editor-colours .tok-kw').first().textContent(), 'function');

  await button('Restart the kernel').click();
  await page.locator('.kernel-status[data-state="idle"]').waitFor({ timeout: 15_000 });
  assert.deepEqual(await order(), placed, 'a kernel restart leaves the script cells alone');
});

test('Export .ipynb holds the script cells in place, and Open .ipynb brings them back', async () => {
  await cell('js-1').getByRole('button', { name: 'Run cell js-1', exact: true }).click();
  await page.locator('article#js-1:is([data-state="done"], [data-state="failed"])').waitFor({ timeout: 15_000 });
  await page.locator('article#A4 input[name="count"]').fill('7');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    button('Export .ipynb: download the notebook with its outputs').click(),
  ]);
  const file = await download.path();
  const nb = JSON.parse(await readFile(file, 'utf8'));
  if (spawnSync('python3', ['-c', 'import nbformat']).status === 0) {
    const check = spawnSync('python3', ['-c',
      'import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT))', file],
    { encoding: 'utf8' });
    assert.equal(check.status, 0, `nbformat rejects the download:\n${check.stderr}`);
  }
  const ids = nb.cells.filter((c) => c.cell_type === 'code').map((c) => c.id);
  assert.deepEqual(ids.filter((id) => id.startsWith('js-')), await scriptIds(), 'in page order');
  assert.equal(ids[ids.indexOf('A1') + 1], 'js-1');
  const js1 = nb.cells.find((c) => c.id === 'js-1');
  assert.equal(js1.metadata.language, 'javascript');
  assert.equal(js1.source.join(''), await value('js-1'));
  assert.ok(js1.outputs.length > 0, 'with the outputs it shows');
  assert.equal(nb.cells.at(-1).id, 'js-3');
  const codes = Object.fromEntries(await Promise.all((await scriptIds()).map(async (id) => [id, await value(id)])));
  const placed = await order();

  // Change everything, then open the file: its script cells and inputs come back.
  await page.locator('article#A4 input[name="count"]').fill('3');
  page.once('dialog', (dialog) => dialog.accept()); // js-3 holds code: Delete asks
  await button('Delete script cell js-3').click();
  await cell('js-3').waitFor({ state: 'detached' });
  page.once('dialog', (dialog) => dialog.accept()); // js-2 holds code too
  await button('Delete script cell js-2').click();
  await cell('js-2').waitFor({ state: 'detached' });
  assert.deepEqual(await scriptIds(), ['js-1']);
  page.once('dialog', (dialog) => {
    assert.match(dialog.message(), /Replace the script cells on the page by the 3 script cells of /);
    dialog.accept();
  });
  await page.locator('input[type="file"][aria-label="Notebook file to open"]').setInputFiles(file);
  await page.locator('.open-notice:not([hidden])').waitFor();
  assert.match(await page.locator('.open-notice').textContent(), /^Opened .*: 3 script cells, and the inputs of \d+ cells\.$/);
  assert.deepEqual(await order(), placed, 'every script cell back in its place');
  for (const [id, code] of Object.entries(codes)) assert.equal(await value(id), code);
  assert.equal(await page.locator('article#A4 input[name="count"]').inputValue(), '7', 'the inputs it carries');
  await page.reload();
  await notebookReady(page);
  assert.deepEqual(await order(), placed, 'and they are kept');

  // Declining the question keeps the page's cells.
  page.once('dialog', (dialog) => dialog.dismiss());
  await page.locator('input[type="file"][aria-label="Notebook file to open"]').setInputFiles(file);
  await page.waitForFunction(() => document.querySelector('.open-notice').textContent.includes('not opened'));
  assert.match(await page.locator('.open-notice').textContent(), /was not opened: the script cells on the page are kept/);
  assert.deepEqual(await order(), placed);
});

test('a file that is not a notebook is refused with a reason, and nothing changes', async () => {
  const placed = await order();
  const open = page.locator('input[type="file"][aria-label="Notebook file to open"]');
  for (const [name, text, reason] of [
    ['notes.txt', 'not json at all', /^Could not open notes\.txt: it is not JSON \(.+\)\.$/],
    ['old.ipynb', '{"nbformat": 3, "worksheets": [], "cells": []}', /only nbformat 4 can be opened/],
    ['list.ipynb', '[1, 2, 3]', /it is not a Jupyter notebook/],
  ]) {
    await open.setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.waitForFunction((n) => document.querySelector('.open-notice').textContent.includes(n), name);
    assert.match(await page.locator('.open-notice').textContent(), reason);
  }
  assert.deepEqual(await order(), placed);
});

test('an empty script cell is deleted without a question; the page is screenshotted', async () => {
  await button('Add a script cell below js-1').click();
  const added = (await scriptIds()).find((id) => !['js-1', 'js-2', 'js-3'].includes(id));
  assert.ok(added, 'a new id, never one given before');
  await button(`Delete script cell ${added}`).click();
  await cell(added).waitFor({ state: 'detached' });
  await page.reload();
  await notebookReady(page);
  assert.equal(await cell(added).count(), 0, 'gone after a reload too');

  await mkdir(SHOTS, { recursive: true });
  await editor('js-1').fill('let shown = 1;\nshown += 1;\nshown.missing.call();');
  await runAndWait('js-1');
  await page.locator('article#A1').evaluate((a1) => a1.scrollIntoView());
  await page.mouse.wheel(0, -120); // the sticky toolbar covers the top
  await editor('js-1').evaluate((t) => t.focus({ preventScroll: true }));
  await page.screenshot({ path: join(SHOTS, 'script_cells.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(SHOTS, 'script_cells_dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  assert.deepEqual(pageErrors, [], 'no console errors');
});
