// End-to-end: a notebook that cannot start says why in place of "Loading the notebook…",
// never that line for ever. A page opened from disk (file://) tells how to serve its folder;
// a browser without WebAssembly or web workers, and a loader whose script is refused, are
// said at once; a start that stalls where no cause can be seen ends in the watchdog's
// message. Every message comes from the page's own inline script, which runs under its
// Content-Security-Policy (checked: no violation is reported).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, SHOTS, launchChromium, serveSite } from './harness.mjs';

let server;
let browser;
let copies; // a folder for copies of dist/ under awkward names

before(async () => {
  server = await serveSite();
  browser = await launchChromium();
  copies = await mkdtemp(join(tmpdir(), 'notebook-start-'));
  await mkdir(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (copies) await rm(copies, { recursive: true, force: true });
});

/** A page in a context of its own, with no service worker, and what it reports: CSP
 * violations and uncaught errors. */
async function freshPage(prepare) {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1000, height: 500 } });
  const page = await context.newPage();
  const report = { violations: [], errors: [] };
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) report.violations.push(m.text());
  });
  page.on('pageerror', (e) => report.errors.push(String(e)));
  await prepare?.(page);
  return { context, page, report };
}

/** The loading line once it no longer says "Loading the notebook…", within `timeout`. */
async function saidInstead(page, timeout = 5_000) {
  const line = page.locator('#notebook .loading');
  await page.waitForFunction(
    () => !/^Loading the notebook/.test(document.querySelector('#notebook .loading')?.textContent ?? ''),
    null,
    { timeout },
  );
  assert.equal(await line.getAttribute('role'), 'alert', 'said to screen readers as it changes');
  return line.innerText();
}

test('a page opened from disk says it must be served, with the command for its own folder', async () => {
  // A copy in a folder whose name a shell must quote (a space and a quote).
  const folder = join(copies, "note book's");
  await cp(DIST, folder, { recursive: true });
  const { context, page, report } = await freshPage();
  await page.goto(pathToFileURL(join(folder, 'index.html')).href);
  const text = await saidInstead(page);
  assert.match(text, /^This notebook cannot run from a file on disk: browsers load its WebAssembly module and scripts only from a web server\. Serve its folder, for instance with python3 -m http\.server -d .+, and open http:\/\/localhost:8000\/\.$/);
  const codes = await page.locator('#notebook .loading code').allTextContents();
  assert.equal(codes.length, 2);
  assert.equal(codes[1], 'http://localhost:8000/');
  const command = codes[0];
  assert.ok(command.startsWith('python3 -m http.server -d '), command);
  // The folder as the command gives it to a shell is the page's folder.
  const argument = command.slice('python3 -m http.server -d '.length);
  const seen = execFileSync('sh', ['-c', `printf %s ${argument}`], { encoding: 'utf8' });
  assert.equal(seen, `${folder}/`);
  assert.deepEqual(report.violations, [], 'the inline scripts run under the policy');
  await page.screenshot({ path: join(SHOTS, 'start-file-url.png') });
  // And the plain dist/ folder needs no quotes.
  await page.goto(pathToFileURL(join(DIST, 'index.html')).href);
  await saidInstead(page);
  assert.equal(await page.locator('#notebook .loading code').first().textContent(), `python3 -m http.server -d ${DIST}/`);
  await context.close();
});

test('a browser without web workers or WebAssembly is told so at once', async () => {
  for (const [name, expected] of [
    ['Worker', 'This browser cannot run the notebook: it has no web workers, which run its cells.'],
    ['WebAssembly', 'This browser cannot run the notebook: it has no WebAssembly (an old browser, or a setting or an extension that turns it off).'],
  ]) {
    const { context, page, report } = await freshPage((p) => p.addInitScript((n) => { delete window[n]; }, name));
    await page.goto(server.url);
    assert.equal(await saidInstead(page), expected, name);
    // The notebook is not drawn over the message later.
    await page.waitForTimeout(500);
    assert.equal(await page.locator('#notebook .loading').innerText(), expected, name);
    assert.equal(await page.locator('.toolbar').count(), 0);
    assert.deepEqual(report.violations, []);
    await context.close();
  }
});

test("a loader whose script is refused says it could not be loaded", async () => {
  const { context, page, report } = await freshPage((p) =>
    p.route(/\/notebook-[0-9a-f]+\.js$/, (route) => route.fulfill({ status: 404, body: 'not found' })));
  await page.goto(server.url);
  assert.equal(
    await saidInstead(page),
    "The notebook could not start: its script could not be loaded. Reload the page; if this stays, the browser's console says why.",
  );
  assert.deepEqual(report.violations, []);
  await context.close();
});

test('a start that stalls without a visible cause ends in the watchdog message, not the loading line', async () => {
  const { context, page } = await freshPage(async (p) => {
    await p.clock.install();
    // The module's download never ends.
    await p.route('**/*.wasm', () => {});
  });
  await page.goto(server.url);
  await page.waitForTimeout(300);
  assert.equal(await page.locator('#notebook .loading').innerText(), 'Loading the notebook…', 'still loading');
  await page.clock.runFor(61_000);
  assert.equal(
    await saidInstead(page),
    "The notebook has not started after a minute: reload the page; if this stays, the browser's console says why.",
  );
  await context.close();
});
