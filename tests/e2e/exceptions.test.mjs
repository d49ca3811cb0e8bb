// End-to-end: section D (exceptions) in the release site from dist/, served from a
// sub-path on loopback and driven in headless Chromium. Runs cells one by one with their
// form inputs, answers D14's two prompts (a zero, then a word), lets D16's error go up
// uncaught, and saves a screenshot of the section to target/e2e/exceptions.png.
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

/** Runs cell `id` with its Run button and waits until its In [n] moves on and it has ended. */
async function run(id, inputs = {}) {
  for (const [name, value] of Object.entries(inputs)) {
    await cell(id).locator(`input[name="${name}"]`).fill(value);
  }
  const before = await promptOf(id);
  await cell(id).getByRole('button', { name: `Run cell ${id}`, exact: true }).click();
  await page.waitForFunction(
    ([id, before]) => {
      const article = document.querySelector(`article#${id}`);
      return article.querySelector('.prompt').textContent !== before
        && ['done', 'failed'].includes(article.dataset.state);
    },
    [id, before],
    { timeout: 10_000 },
  );
  return outputText(id);
}

/** Runs cell `id` and types each answer into the prompt field it shows, then waits for its end. */
async function runAnswering(id, answers) {
  const before = await promptOf(id);
  await cell(id).getByRole('button', { name: `Run cell ${id}`, exact: true }).click();
  for (const [prompt, answer] of answers) {
    const field = page.getByRole('textbox', { name: `Answer for cell ${id}: ${prompt}`, exact: true });
    await field.waitFor({ timeout: 5_000 });
    assert.equal(await stateOf(id), 'running', `${id} waits at "${prompt}"`);
    await field.fill(answer);
    await field.press('Enter');
  }
  await page.waitForFunction(
    ([id, before]) => {
      const article = document.querySelector(`article#${id}`);
      return article.querySelector('.prompt').textContent !== before && article.dataset.state === 'done';
    },
    [id, before],
    { timeout: 10_000 },
  );
  return outputText(id);
}

test('section D is on the page with its sixteen rows and two cells beside them, each showing its code', async () => {
  const sections = await page.locator('section h2').allInnerTexts();
  assert.ok(sections.includes('D. Exceptions'), `sections: ${sections}`);
  assert.ok(sections.indexOf('B. Logging') < sections.indexOf('D. Exceptions'), 'D comes after B');
  const ids = await page.$$eval('article[id^="D"]', (cells) => cells.map((c) => c.id));
  const rust = Array.from({ length: 16 }, (_, i) => `D${i + 1}`);
  assert.deepEqual(ids, [...rust.slice(0, 5), 'D5b', ...rust.slice(5, 9), 'D9-js', 'D9b', ...rust.slice(9)],
    'D9 redone in JavaScript after D9; D5b and D9b beside the rows they add to');
  assert.match(await cell('D8').locator('pre.source').textContent(), /struct CustomError/);
});

test('D1 answers a zero divisor, and divides once the form says 4', async () => {
  assert.equal(await run('D1'), 'Error: Division by zero is not allowed.');
  assert.equal(await stateOf('D1'), 'done', 'the caught error is the intended outcome');
  assert.equal(await run('D1', { denominator: '4' }), '10 / 4 = 2.5');
});

test('D5, D8, D10, D13 and D15 print the messages of their errors', async () => {
  assert.equal(await run('D5'), "Attempted to convert '123a'.\nError: Value cannot be converted to an integer. (ValueError: invalid literal for int() with base 10: '123a')");
  assert.equal(await run('D8'), 'CustomError caught: Negative value is not allowed.');
  assert.match(await run('D10'), /^Negative value error: -5 is not allowed\.\n/);
  assert.match(await run('D13'), /^KeyError: 'country'\nError: The key 'country' does not exist in the dictionary\./);
  assert.equal(await run('D15'), 'Error: List index is out of range. (IndexError: list index out of range)');
  for (const id of ['D5', 'D8', 'D10', 'D13', 'D15']) assert.equal(await stateOf(id), 'done', id);
});

test('D4 shows the guard running on success, on error and on an early return', async () => {
  const text = await run('D4');
  assert.equal(text.match(/finally: cleanup ran/g)?.length, 3, text);
  assert.match(text, /return: {2}seen before, answered from the cache\n {2}finally: cleanup ran/);
});

test('D14 asks for two numbers: a zero and a word each get their message; a word first ends it at once', async () => {
  assert.equal(
    await runAnswering('D14', [['Enter a number: ', '10'], ['Enter another number: ', '0']]),
    'Enter a number: 10\nEnter another number: 0\nError: Cannot divide by zero.',
  );
  assert.equal(
    await runAnswering('D14', [['Enter a number: ', 'ten']]),
    "Enter a number: ten\nError: Invalid input. Please enter only numbers.\n"
      + "(ValueError: invalid literal for int() with base 10: 'ten')",
    'a word as the first answer fails before the second question, as int(input()) does',
  );
  assert.equal(
    await runAnswering('D14', [['Enter a number: ', '7'], ['Enter another number: ', '2']]),
    'Enter a number: 7\nEnter another number: 2\nResult: 3.5',
  );
  assert.equal(await cell('D14').locator('.stdin').count(), 0, 'no field is left once answered');
});

test('D5b: one except arm takes both ValueErrors, and the finally line comes on every path', async () => {
  const prompt = 'Please enter a positive number: ';
  assert.equal(await runAnswering('D5b', [[prompt, '16']]), `${prompt}16\nSquare root of 16 is 4.0\nThe try/except block is finished.`);
  assert.equal(await runAnswering('D5b', [[prompt, '-4']]),
    `${prompt}-4\nValueError: -4 is negative: it has no real square root\nThe try/except block is finished.`);
  assert.equal(await runAnswering('D5b', [[prompt, 'four']]),
    `${prompt}four\nValueError: invalid literal for int() with base 10: 'four'\nThe try/except block is finished.`);
});

test('D16 catches its error by default; told not to, the notebook shows it with its cause', async () => {
  assert.match(await run('D16'), /^AgeError caught: age 'twenty' is not a whole number\n {2}caused by ValueError/);
  const text = await run('D16', { catch: 'no' });
  assert.equal(await stateOf('D16'), 'failed');
  assert.match(text, /ValueError: invalid literal for int\(\) with base 10: 'twenty'[^]*AgeError: age 'twenty' is not a whole number$/);
  await run('D16', { catch: 'yes' });
  assert.equal(await stateOf('D16'), 'done');
});

test('no errors reached the console; a screenshot of section D is saved', async () => {
  await mkdir(SHOTS, { recursive: true });
  await screenshotAllCells(page, page.locator('#section-D'), { path: join(SHOTS, 'exceptions.png') });
  assert.deepEqual(pageErrors, []);
});
