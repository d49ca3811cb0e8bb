// End-to-end: the browser killed while a cell writes many files. Chromium runs on one
// profile that survives from launch to launch; each round, cell A29 writes generation A of
// FILES files and the test waits until the save holds all of it, then A29 starts writing
// generation B and the browser gets SIGKILL at a random moment (its main process in odd
// rounds, every one of its processes at once in even rounds). Chromium starts again on the
// same profile, and every file must hold exactly generation A or generation B, never a mix,
// a cut or nothing: checked by A30 in the kernel (what the user sees) and, independently, by
// reading IndexedDB's records and contents in the page with a JS copy of the file format.
// One exception, the browser's and not the notebook's: Chromium deletes an IndexedDB that a
// kill left damaged when it opens it again; the page must then say so (its storage notice),
// and such a round is told and allowed once.
//
// CRASH_ROUNDS (default 8, about 40 s) sets the number of kills, CRASH_FILES (200) and
// CRASH_SIZE (4096 bytes) the writes; each round prints its figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { notebookReady, serveSite, watchErrors } from './harness.mjs';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 8);
const FILES = Number(process.env.CRASH_FILES ?? 200);
const SIZE = Number(process.env.CRASH_SIZE ?? 4096);
const PAUSE_MS = 1; // between two files: the kernel saves there
const FOLDER = 'crash';

let server;
let profile;
let running; // { child, browser, page }
const pageErrors = [];

before(async () => {
  server = await serveSite(); // one server, so one origin (IndexedDB is per origin)
  profile = await mkdtemp(join(tmpdir(), 'notebook-crash-profile-'));
});

after(async () => {
  if (running) await closeGracefully(running);
  await server?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

/**
 * Starts Chromium on `profile` with a DevTools port, connects to it and opens the notebook
 * in the profile's own (persistent) context. The browser runs as its own process group,
 * so that everything it started can be killed with it.
 */
async function launch() {
  const child = spawn(process.env.CHROMIUM ?? '/usr/bin/chromium', [
    '--headless=new', '--remote-debugging-port=0', `--user-data-dir=${profile}`,
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--no-default-browser-check',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', 'about:blank',
  ], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const started = { child, exited };
  try {
    const endpoint = await new Promise((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`Chromium gave no DevTools address:\n${seen}`)), 20_000);
      child.stderr.on('data', (chunk) => {
        seen += chunk;
        const found = seen.match(/DevTools listening on (ws:\/\/\S+)/);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`Chromium exited (${code}) before it listened:\n${seen}`)));
    });
    const browser = await chromium.connectOverCDP(endpoint);
    const page = await browser.contexts()[0].newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    page.setDefaultTimeout(20_000);
    watchErrors(page, pageErrors);
    const said = [];
    page.on('console', (msg) => said.push(`${msg.type()}: ${msg.text().slice(0, 300)}`));
    await page.goto(server.url);
    await notebookReady(page, 30_000).catch(async (error) => {
      const status = await page.locator('.kernel-status').innerText().catch(() => '?');
      throw new Error(`the notebook was not ready (${status}); the console said:\n${said.join('\n')}\n${error}`);
    });
    return { ...started, browser, page };
  } catch (error) {
    await kill(started);
    throw error;
  }
}

/**
 * SIGKILL, as a crash or the task manager would. `whole`: every process of the browser at
 * once (renderers and the storage service too); otherwise the browser process alone, and
 * its helpers end by themselves a moment later (any left are killed once it is gone).
 */
async function kill({ child, exited }, whole = false) {
  process.kill(whole ? -child.pid : child.pid, 'SIGKILL');
  await exited;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // none left
  }
}

async function closeGracefully({ browser, child, exited }) {
  await browser.close().catch(() => {});
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  await exited;
}

const cell = (page, id) => page.locator(`article#${id}`);

async function fill(page, id, inputs) {
  for (const [name, value] of Object.entries(inputs)) {
    await cell(page, id).locator(`input[name="${name}"]`).fill(String(value));
  }
}

async function run(page, id, timeout = 60_000) {
  await cell(page, id).getByRole('button', { name: `Run cell ${id}`, exact: true }).click();
  await page.locator(`article#${id}[data-state="running"], article#${id}[data-state="done"]`).first()
    .waitFor({ timeout: 5_000 });
  const started = Date.now();
  await page.locator(`article#${id}[data-state="done"]`).waitFor({ timeout });
  return Date.now() - started;
}

// The file format of src/exercises/crash.rs, written again in JS so that the check does
// not trust the code it checks.

function fnv1a(bytes) {
  let hash = 0x811c9dc5;
  for (const b of bytes) hash = Math.imul(hash ^ b, 0x01000193) >>> 0;
  return hash;
}

function generationContent(name, generation, size) {
  const out = [...Buffer.from(`file: ${name}\ngeneration: ${generation}\nbytes: ${size}\n`)];
  const bodyEnd = size - 'checksum: '.length - 9;
  const mask = (1n << 64n) - 1n;
  let state = ((BigInt(fnv1a(Buffer.from(name))) << 32n) | (BigInt(generation) & 0xffffffffn) | 1n) & mask;
  while (out.length < bodyEnd) {
    if (out.length % 64 === 63 || out.length + 1 === bodyEnd) {
      out.push(0x0a);
      continue;
    }
    state ^= (state << 13n) & mask;
    state ^= state >> 7n;
    state ^= (state << 17n) & mask;
    out.push(0x61 + Number(state % 26n));
  }
  const sum = fnv1a(out).toString(16).padStart(8, '0');
  return Buffer.concat([Buffer.from(out), Buffer.from(`checksum: ${sum}\n`)]);
}

/** The generation `bytes` hold whole, or null (a cut, a mix, anything else). */
function generationOf(name, bytes) {
  const head = bytes.subarray(0, 200).toString('latin1').match(/^file: (\S+)\ngeneration: (\d+)\nbytes: (\d+)\n/);
  if (!head || head[1] !== name || Number(head[3]) !== bytes.length) return null;
  const generation = Number(head[2]);
  return generationContent(name, generation, bytes.length).equals(bytes) ? generation : null;
}

const fileName = (index) => `f${String(index).padStart(4, '0')}.txt`;

/**
 * What IndexedDB's last save holds, read in the page: `files`, the folder's files as
 * `{ name: bytes }` (`null` for a file whose record names contents that are not there),
 * and `unnamed`, how many stored contents no record names (space a save forgot to free).
 */
async function savedFiles(page) {
  const saved = await page.evaluate(async (folder) => {
    const request = (r) => new Promise((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const db = await request(indexedDB.open('rust-notebook-files'));
    try {
      const tx = db.transaction(['paths', 'contents'], 'readonly');
      const paths = await request(tx.objectStore('paths').getAllKeys());
      const records = await request(tx.objectStore('paths').getAll());
      const kinds = new Map(paths.map((path, i) => [path, records[i].kind]));
      const keys = await request(tx.objectStore('contents').getAllKeys());
      const unnamed = keys.filter((k) => kinds.get(k) !== 'file').length;
      const files = {};
      for (const [path, kind] of kinds) {
        if (kind !== 'file' || !path.startsWith(`/home/user/${folder}/`)) continue;
        const data = await request(tx.objectStore('contents').get(path));
        // One character a byte, so the bytes cross to Node as a string.
        let text = null;
        if (data) {
          text = '';
          for (let at = 0; at < data.length; at += 8192) text += String.fromCharCode(...data.subarray(at, at + 8192));
        }
        files[path.slice(folder.length + 12)] = text;
      }
      return { files, unnamed };
    } finally {
      db.close();
    }
  }, FOLDER);
  const files = Object.entries(saved.files).map(([n, b]) => [n, b === null ? null : Buffer.from(b, 'latin1')]);
  return { files: Object.fromEntries(files), unnamed: saved.unnamed };
}

/** Counts by generation of what the save holds; throws on any file not whole. */
function tally(files, expected) {
  const counts = {};
  const bad = [];
  for (let i = 0; i < FILES; i++) {
    const name = fileName(i);
    if (!(name in files)) bad.push(`${name}: missing`);
    else if (files[name] === null) bad.push(`${name}: its record names no contents`);
    else {
      const generation = generationOf(name, files[name]);
      if (generation === null || !expected.includes(generation)) {
        bad.push(`${name}: ${files[name].length} bytes, not generation ${expected.join(' or ')}`);
      } else counts[generation] = (counts[generation] ?? 0) + 1;
    }
  }
  const extra = Object.keys(files).filter((n) => !/^f\d{4}\.txt$/.test(n) || Number(n.slice(1, 5)) >= FILES);
  for (const name of extra) bad.push(`${name}: a file no write left`);
  return { counts, bad };
}

/**
 * Waits until the save holds all of generation `g` (watched in the page, every 5 ms, from
 * the headers of the stored files), then checks it whole; returns how long it took.
 */
async function waitSaved(page, g) {
  const ms = await page.evaluate(async ({ folder, files, g }) => {
    const started = performance.now();
    const request = (r) => new Promise((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const db = await request(indexedDB.open('rust-notebook-files'));
    try {
      while (performance.now() - started < 20_000) {
        const tx = db.transaction(['paths', 'contents'], 'readonly');
        const prefix = `/home/user/${folder}/f`;
        const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
        const records = (await request(tx.objectStore('paths').getAllKeys(range)));
        const heads = await Promise.all(records.map((path) => request(tx.objectStore('contents').get(path))));
        const marked = `generation: ${g}\n`;
        const done = records.length === files
          && heads.every((data) => data && new TextDecoder().decode(data.subarray(0, 64)).includes(marked));
        if (done) return performance.now() - started;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return null;
    } finally {
      db.close();
    }
  }, { folder: FOLDER, files: FILES, g });
  assert.ok(ms !== null, `generation ${g} was not saved within 20 s`);
  const { counts, bad } = tally((await savedFiles(page)).files, [g]);
  assert.deepEqual(bad, [], `generation ${g} is saved damaged`);
  assert.equal(counts[g], FILES);
  return Math.round(ms);
}

/** A30's table, as `{ generation: files }`, and its last line. */
async function checkInKernel(page) {
  await fill(page, 'A30', { folder: FOLDER });
  await run(page, 'A30');
  const rows = await cell(page, 'A30').locator('.outputs table').first().locator('tr').evaluateAll((trs) =>
    trs.slice(1).map((tr) => [...tr.children].map((td) => td.textContent)));
  const counts = Object.fromEntries(rows.map(([holds, files]) => [holds.replace('generation ', ''), Number(files)]));
  const text = (await cell(page, 'A30').locator('.outputs').innerText()).trimEnd();
  return { counts, last: text.split('\n').at(-1) };
}

test(`killing the browser while a cell writes ${FILES} files leaves each whole, old or new (${ROUNDS} rounds)`, { timeout: 60_000 + ROUNDS * 60_000 }, async () => {
  const figures = [];
  const browserLost = []; // rounds whose restart found the browser's storage deleted
  running = await launch();
  for (let round = 1; round <= ROUNDS; round++) {
    const [old, next] = [2 * round - 1, 2 * round];
    const { page } = running;
    await fill(page, 'A29', { folder: FOLDER, files: FILES, size: SIZE, pause: PAUSE_MS, generation: old });
    const writeMs = await run(page, 'A29');
    const saveMs = await waitSaved(page, old);

    // Generation `next`, killed part way: anywhere from its first file to just past its last.
    await fill(page, 'A29', { generation: next });
    const killAfter = Math.round(Math.random() * writeMs * 1.1);
    const whole = round % 2 === 0;
    await cell(page, 'A29').getByRole('button', { name: 'Run cell A29', exact: true }).click();
    const clicked = Date.now();
    await new Promise((resolve) => setTimeout(resolve, killAfter));
    const killedAt = Date.now() - clicked;
    await kill(running, whole);
    running = null;

    const restartStarted = Date.now();
    running = await launch();
    const restartMs = Date.now() - restartStarted;
    const store = await savedFiles(running.page);
    const saved = tally(store.files, [old, next]);
    if (saved.bad.length > 0) {
      // Chromium deletes an IndexedDB its crash left damaged (the open's `dataLoss`); the
      // kernel says so in the storage notice. That loss is the browser's, and is told.
      const notice = await running.page.locator('#storage-notice:not([hidden])')
        .textContent({ timeout: 2_000 }).catch(() => null);
      if (notice?.startsWith('Saved files were lost')) {
        browserLost.push(round);
        console.log(`round ${round}: the browser deleted its damaged storage at the restart; the page said: ${notice}`);
        assert.ok(browserLost.length <= 1, `the browser deleted its storage in rounds ${browserLost.join(', ')}`);
        continue;
      }
    }
    assert.deepEqual(saved.bad, [], `round ${round}: the save holds damaged files`);
    assert.equal(store.unnamed, 0, `round ${round}: the store keeps contents no file names`);
    const kernel = await checkInKernel(running.page);
    assert.equal(kernel.last, `All ${FILES} files in '${FOLDER}' are whole.`, `round ${round}: A30 found damage`);
    assert.deepEqual(kernel.counts, saved.counts, `round ${round}: the kernel loaded what was saved`);
    const row = {
      round,
      'write ms': writeMs,
      'save ms': saveMs,
      killed: whole ? 'all processes' : 'browser process',
      'killed at ms': killedAt,
      old: saved.counts[old] ?? 0,
      new: saved.counts[next] ?? 0,
      'restart ms': restartMs,
    };
    figures.push(row);
    console.log(`round ${round}: ${row.killed} killed ${killedAt} ms into generation ${next}; `
      + `after restart ${row.old} files hold generation ${old}, ${row.new} hold ${next}, none damaged `
      + `(generation ${old} was written in ${writeMs} ms and saved ${saveMs} ms later; restart ${restartMs} ms)`);
  }
  console.table(figures);
  if (browserLost.length) console.log(`the browser deleted its damaged storage in round ${browserLost[0]}`);
  const midWrite = figures.filter((f) => f.old > 0 && f.new > 0).length;
  console.log(`${midWrite} of ${ROUNDS} kills landed while both generations were on disk`);
  if (ROUNDS >= 4) {
    assert.ok(midWrite > 0, 'no kill landed in the middle of a generation: the writes were too fast to test');
  }
  assert.deepEqual(pageErrors, []);
});
