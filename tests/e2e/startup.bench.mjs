// Start-up figure: from navigation to the first cell being runnable (the page's
// `notebook-ready` performance mark, set when the kernel first reports idle), over cold
// loads of the release site from loopback, each in a fresh browser context (empty HTTP
// cache, no service worker), after one load that is not counted (it pays for what the
// browser does once, whatever the site: its first renderer, its font lists). Prints
// figures; asserts nothing. Run by scripts/bench.sh:
//   node startup.bench.mjs [loads]
import { chromium } from 'playwright-core';
import { announceMarks, serveSite } from './harness.mjs';

const LOADS = Number(process.argv[2] ?? 10);

const server = await serveSite();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const ready = [];
const drawn = [];
try {
  for (let i = -1; i < LOADS; i += 1) {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    // The page draws its cells a few per task, so the whole notebook may be drawn after its
    // first cell is runnable: both marks are waited for.
    const seen = await announceMarks(context, ['notebook-ready', 'notebook-drawn']);
    const page = await context.newPage();
    const both = Promise.all([seen(page, 'notebook-ready'), seen(page, 'notebook-drawn')]);
    await page.goto(server.url, { waitUntil: 'commit' });
    await both;
    const [r, d] = await page.evaluate(() => ['notebook-ready', 'notebook-drawn']
      .map((name) => performance.getEntriesByName(name)[0].startTime));
    if (i < 0) {
      console.log(`warm-up load (not counted): first cell runnable at ${r.toFixed(0)} ms`);
    } else {
      ready.push(r);
      drawn.push(d);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (xs) => xs.map((x) => x.toFixed(0)).join(' ');
console.log(`cold loads: ${LOADS}`);
console.log(`whole notebook drawn (ms): median ${median(drawn).toFixed(0)}  all: ${fmt(drawn)}`);
console.log(`first cell runnable (ms): median ${median(ready).toFixed(0)}  all: ${fmt(ready)}`);
console.log(`FIGURE startup_loads ${LOADS}`);
console.log(`FIGURE startup_ready_median_ms ${median(ready).toFixed(1)}`);
console.log(`FIGURE startup_drawn_median_ms ${median(drawn).toFixed(1)}`);
