import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '/work/main/tests/e2e/static-server.mjs';
const server = await serve(process.env.SITE, '/notebook/');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
for (let i = 0; i < Number(process.argv[2] ?? 3); i++) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.addInitScript(() => { window.__p=[]; new BroadcastChannel('probe').onmessage=(e)=>window.__p.push([e.data[0], (e.data[1]-performance.timeOrigin).toFixed(0)]);
    new PerformanceObserver((list) => {
      if (list.getEntriesByName('notebook-ready').length > 0) console.debug('notebook-ready');
    }).observe({ type: 'mark', buffered: true });
  });
  const page = await context.newPage();
  const isReady = page.waitForEvent('console', { predicate: (m) => m.text() === 'notebook-ready', timeout: 30000 });
  await page.goto(server.url, { waitUntil: 'commit' });
  await isReady;
  const t = await page.evaluate(() => {
    const o = {};
    const nav = performance.getEntriesByType('navigation')[0];
    o.navResponseEnd = nav.responseEnd; o.domInteractive = nav.domInteractive;
    for (const r of performance.getEntriesByType('resource')) o[r.name.split('/').pop().slice(0, 30)] = [r.startTime, r.responseEnd].map(x => x.toFixed(0)).join('-');
    for (const m of performance.getEntriesByType('mark')) o[m.name] = m.startTime;
    for (const p of performance.getEntriesByType('paint')) o[p.name] = p.startTime;
    o.worker = window.__p; return o;
  });
  for (const k in t) if (typeof t[k] === 'number') t[k] = t[k].toFixed(0);
  console.log(JSON.stringify(t));
  await context.close();
}
await browser.close(); await server.close();
