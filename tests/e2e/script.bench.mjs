// Script cells' figures, in headless Chromium on the built site (scripts/bench.sh):
//   script_first_run_ms     a cold visit: Run on a new script cell to its output, the
//                           engine's module not yet loaded (budget 1000 ms);
//   script_write_mbps       a script writing 64 MiB in 16-byte pieces through
//                           open(path, "wb") (every piece one call into the kernel),
//                           back to the file's start every 4 MiB (the notebook's files
//                           have a quota);
//   script_loop_ms          a script's loop of 10 M additions, and page_loop_ms the same
//                           loop in the page's own JavaScript (V8's JIT): what an
//                           interpreter costs.
// Prints FIGURE lines; asserts nothing about speed.
import { launchChromium, openNotebook, outputsText, serveSite } from './harness.mjs';

const server = await serveSite();
const browser = await launchChromium();
try {
  const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
  await openNotebook(page, server.url);
  const button = (name) => page.getByRole('button', { name, exact: true });
  let cells = 0;
  /** Adds a script cell with `code` at the end, runs it, returns [ms, output]. */
  const run = async (code) => {
    await button('Add a script cell at the end of the notebook').click();
    cells += 1;
    const id = `js-${cells}`;
    await page.locator(`article#${id} textarea.editor-input`).fill(code);
    const started = Date.now();
    await page.locator(`article#${id}`).getByRole('button', { name: `Run cell ${id}`, exact: true }).click();
    await page.locator(`article#${id}:is([data-state="done"], [data-state="failed"])`).waitFor({ timeout: 600_000 });
    const ms = Date.now() - started;
    const text = await outputsText(page.locator(`article#${id}`));
    if (await page.locator(`article#${id}[data-state="failed"]`).count()) throw new Error(`${id} failed: ${text}`);
    return [ms, text];
  };
  const [first] = await run('print("ready")');
  console.log(`FIGURE script_first_run_ms ${first}`);

  const mib = 64;
  const [, written] = await run([
    `const piece = new TextEncoder().encode("0123456789abcdef");`,
    `const f = open("bench.bin", "wb");`,
    `const t0 = Date.now();`,
    `for (let i = 0; i < ${mib} * 65536; i++) { f.write(piece); if (i % 262144 === 262143) f.seek(0); }`,
    `f.close();`,
    `const ms = Date.now() - t0;`,
    `os.remove("bench.bin");`,
    `ms`,
  ].join('\n'));
  const writeMs = Number(written.trim());
  console.log(`script: ${mib} MiB in 16-byte pieces in ${writeMs} ms`);
  console.log(`FIGURE script_write_mbps ${((mib * 1048576) / 1e6 / (writeMs / 1000)).toFixed(1)}`);

  const loop = 'let s = 0; for (let i = 0; i < 10000000; i++) { s += i } s';
  const [, looped] = await run(`const t1 = Date.now();\n${loop.replace('s = 0', 's1 = 0').replaceAll('s +=', 's1 +=').replace('} s', '}')}\nDate.now() - t1`);
  console.log(`FIGURE script_loop_ms ${Number(looped.trim())}`);
  const pageMs = await page.evaluate(() => {
    const t = performance.now();
    let s = 0;
    for (let i = 0; i < 10000000; i++) s += i;
    return [performance.now() - t, s][0];
  });
  console.log(`FIGURE page_loop_ms ${pageMs.toFixed(1)}`);
} finally {
  await browser.close();
  await server.close();
}
