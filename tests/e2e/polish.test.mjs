// End-to-end: small things a person notices, on the release site at 1280 × 800. The Logs
// panel keeps its filters in view over thousands of records; names keep their spaces in the
// file tree, the preview's header and cell tables; Escape closes the side panel (but not
// from a form, a prompt or a search it clears); the hex preview fits its panel. Saves
// screenshots to target/e2e/polish-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SHOTS, launchChromium, openNotebook, serveSite, watchErrors } from './harness.mjs';

const VIEW = { width: 1280, height: 800 };

let server;
let browser;
let page;
const pageErrors = [];

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  server = await serveSite();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: VIEW });
  page.setDefaultTimeout(20_000);
  watchErrors(page, pageErrors);
  await openNotebook(page, server.url);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const cell = (id) => page.locator(`article#${id}`);
const sidePanel = () => page.locator('#side-panel');
const filesButton = () => page.getByRole('button', { name: 'Show or hide the file browser' });
const logsButton = () => page.getByRole('button', { name: 'Show or hide the log viewer' });
const treeRow = (path) => page.locator(`#file-browser li[role="treeitem"][data-path="${path}"]`);

/** Runs cell `id` with `inputs` typed into its form, and waits until it is done. */
async function run(id, inputs = {}) {
  for (const [name, value] of Object.entries(inputs)) {
    await cell(id).locator(`input[name="${name}"]`).fill(value);
  }
  const before = await cell(id).locator('.prompt').textContent();
  await cell(id).getByRole('button', { name: `Run cell ${id}`, exact: true }).click();
  await page.waitForFunction(
    ([c, p]) => {
      const el = document.getElementById(c);
      return el.dataset.state === 'done' && el.querySelector('.prompt').textContent !== p;
    },
    [id, before],
    { timeout: 60_000 },
  );
}

/** Whether `locator` is wholly inside the viewport and is what a click there would reach. */
async function inView(locator) {
  return locator.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const inside = box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return inside && box.height > 0 && (hit === el || el.contains(hit));
  });
}

async function closePanel() {
  if (await sidePanel().isVisible()) await page.locator('#side-panel button.side-close').click();
}

test('the Logs panel keeps its filters in view over 5,000 records, with the newest at the bottom', async () => {
  await run('B6'); // 10,000 records: the viewer keeps the last 5,000
  await logsButton().click();
  const viewer = page.locator('#log-viewer');
  await viewer.locator('.log-count', { hasText: '5000 of 5000 records' }).waitFor();
  const level = viewer.getByRole('combobox', { name: 'Lowest level shown' });
  const search = viewer.getByRole('searchbox', { name: 'Search the messages' });
  assert.ok(await inView(level), 'the level filter is in view');
  assert.ok(await inView(search), 'the search field is in view');
  // The list, not the panel, is scrolled: to its newest record.
  const newest = viewer.locator('.log-row').last();
  await page.waitForFunction(() => {
    const list = document.querySelector('#log-viewer .log-list');
    return list.scrollTop > 0 && list.scrollTop + list.clientHeight >= list.scrollHeight - 1;
  });
  assert.match(await newest.innerText(), /This is log entry number 9999/);
  assert.ok(await inView(newest), 'the newest record is in view');
  assert.equal(await sidePanel().evaluate((p) => p.scrollTop), 0, 'the panel itself does not scroll');
  await page.screenshot({ path: join(SHOTS, 'polish-logs.png') });
  // Filtering from there works and the filters stay where they are.
  await search.fill('number 7242');
  await viewer.locator('.log-count', { hasText: '1 of 5000 records' }).waitFor();
  assert.ok(await inView(search));
  await search.fill('');
  await closePanel();
});

test('names keep their spaces in the file tree, the preview header and a cell table', async () => {
  const spaced = 'a   b.txt';
  const leading = '  lead.txt';
  await run('A5', { file: spaced });
  await run('A2', { file: leading });
  // A5's table of open files names the path as it is.
  // innerText is the text as shown (white-space applied); the cell is laid out for the
  // reading, as it is once scrolled to (cells off screen skip layout).
  const shown = await cell('A5').locator('.table-wrap td', { hasText: 'b.txt' }).first().evaluate((td) => {
    const box = td.closest('.cell');
    box.style.contentVisibility = 'visible';
    const text = td.innerText;
    box.style.contentVisibility = '';
    return text;
  });
  assert.equal(shown, `/home/user/${spaced}`);
  await filesButton().click();
  for (const name of [spaced, leading]) {
    const row = treeRow(`/home/user/${name}`);
    await row.waitFor();
    assert.equal(await row.locator('.file-name').innerText(), name, 'the tree shows the name as it is');
    await row.click();
    const header = page.locator('#file-browser h3.file-path');
    await page.waitForFunction((p) => document.querySelector('#file-browser h3.file-path')?.textContent === p, `/home/user/${name}`);
    assert.equal(await header.innerText(), `/home/user/${name}`, 'so does the preview header');
  }
  await page.screenshot({ path: join(SHOTS, 'polish-spaces.png') });
  await closePanel();
});

test('Escape closes the side panel, except where something nearer uses it', async () => {
  // From the panel: it closes, and the focus goes back to the toolbar button.
  await filesButton().click();
  assert.ok(await sidePanel().isVisible());
  await page.keyboard.press('Escape');
  assert.ok(!(await sidePanel().isVisible()), 'Escape closed the panel');
  assert.equal(await filesButton().getAttribute('aria-expanded'), 'false');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-controls')), 'file-browser');

  // From a cell's field: it closes, and the focus stays in the field.
  await filesButton().click();
  const field = cell('A1').locator('input[name="file"]');
  await field.focus();
  await page.keyboard.press('Escape');
  assert.ok(!(await sidePanel().isVisible()));
  assert.equal(await page.evaluate(() => document.activeElement?.name), 'file');

  // The file browser's name form: Escape cancels the form, the panel stays.
  await filesButton().click();
  await page.getByRole('button', { name: 'New file', exact: true }).click();
  const form = page.locator('#file-browser form.file-name-form');
  await form.locator('input').waitFor();
  await form.locator('input').press('Escape');
  assert.ok(await form.isHidden(), 'the form is cancelled');
  assert.ok(await sidePanel().isVisible(), 'the panel stays');

  // A search field with text: Escape clears it, the panel stays; a second one closes it.
  await logsButton().click();
  const search = page.getByRole('searchbox', { name: 'Search the messages' });
  await search.fill('entry');
  await search.press('Escape');
  assert.equal(await search.inputValue(), '');
  assert.ok(await sidePanel().isVisible(), 'the panel stays while the search is cleared');
  await search.press('Escape');
  assert.ok(!(await sidePanel().isVisible()));

  // A cell's input prompt (U3 asks for a name): Escape there leaves the panel open.
  await filesButton().click();
  await cell('U3').getByRole('button', { name: 'Run cell U3', exact: true }).click();
  const answer = cell('U3').locator('.stdin input');
  await answer.waitFor();
  await answer.focus();
  await page.keyboard.press('Escape');
  assert.ok(await sidePanel().isVisible(), 'the prompt keeps its Escape');
  await answer.fill('Ada');
  await answer.press('Enter');
  await cell('U3').locator('.stdin').waitFor({ state: 'detached' });
  await closePanel();
});

test('the hex preview fits its panel at 1280 px, and shows 16 bytes a line where there is room', async () => {
  await filesButton().click();
  await treeRow('/home/user/sample.txt').click();
  await page.getByRole('button', { name: 'Show as hex' }).click();
  const hex = page.locator('#file-browser pre.file-content[data-view="hex"]');
  await hex.waitFor();
  const fit = () => hex.evaluate((pre) => {
    const panel = document.querySelector('#side-panel').getBoundingClientRect();
    const box = pre.getBoundingClientRect();
    return {
      fits: pre.scrollWidth <= pre.clientWidth && box.right <= panel.right && panel.right <= innerWidth,
      firstLine: pre.textContent.split('\n')[0],
    };
  });
  const wide = await fit();
  assert.ok(wide.fits, JSON.stringify(wide));
  // Each line whole: the offset, the bytes and the ASCII column between bars.
  assert.match(wide.firstLine, /^00000000 {2}([0-9a-f]{2} {1,2})+ \|Every fi\|$/);
  await page.screenshot({ path: join(SHOTS, 'polish-hex-1280.png') });

  // Below 1100 px the panel is a sheet the width of the window: hexdump's 16 bytes fit.
  await page.setViewportSize({ width: 1000, height: 800 });
  await page.getByRole('button', { name: 'Show as text' }).click();
  await page.getByRole('button', { name: 'Show as hex' }).click();
  const sheet = await fit();
  assert.ok(sheet.fits, JSON.stringify(sheet));
  assert.match(sheet.firstLine, /^00000000 {2}45 76 65 72 79 20 66 69 {2}6c 65 20 73 74 61 72 74 {2}\|Every file start\|$/);
  await page.screenshot({ path: join(SHOTS, 'polish-hex-1000.png') });
  await page.setViewportSize(VIEW);
  await closePanel();
  assert.deepEqual(pageErrors, []);
});
