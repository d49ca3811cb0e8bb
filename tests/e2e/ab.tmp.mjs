import { chromium } from 'playwright-core';
import { serve } from '/work/main/tests/e2e/static-server.mjs';
const sites = process.argv.slice(3);
const N = Number(process.argv[2]);
const servers = await Promise.all(sites.map((s) => serve(s, '/notebook/')));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const R = sites.map(() => []);
for (let i = 0; i < N; i++) {
  for (let k = 0; k < sites.length; k++) {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    await context.addInitScript(() => {
      new PerformanceObserver((list) => {
        if (list.getEntriesByName('notebook-ready').length > 0) console.debug('notebook-ready');
      }).observe({ type: 'mark', buffered: true });
    });
    const page = await context.newPage();
    const isReady = page.waitForEvent('console', { predicate: (m) => m.text() === 'notebook-ready', timeout: 30000 });
    await page.goto(servers[k].url, { waitUntil: 'commit' });
    await isReady;
    R[k].push(await page.evaluate(() => performance.getEntriesByName('notebook-ready')[0].startTime));
    await context.close();
  }
}
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
sites.forEach((s, k) => console.log(s, 'median', med(R[k]).toFixed(0), 'p25', [...R[k]].sort((a,b)=>a-b)[Math.floor(N/4)].toFixed(0)));
await browser.close(); await Promise.all(servers.map((s) => s.close()));
