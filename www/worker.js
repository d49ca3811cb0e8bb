// Boots a web worker of the notebook (the kernel, and later worker processes).
// The boot message names the wasm-bindgen glue module to import, carries the wasm module
// the page already compiled, and names the exported entry point to call. The page's early
// script names the glue in this script's URL too (`#glue=...`), so the glue is fetched and
// evaluated while the page is still compiling the module.
let glue = null;
const importGlue = (url) => {
  if (glue === null || glue.url !== url) glue = { url, module: import(url) };
  return glue.module;
};
const named = new URLSearchParams(self.location.hash.slice(1)).get('glue');
if (named && new URL(named).origin === self.location.origin) {
  importGlue(named).catch(() => {}); // a failure shows again at the boot message
}
// The script engine's module (engine/ beside the glue), loaded on the first script run:
// the kernel's module calls this, and then the engine's `call` (src/browser/script_engine.rs).
// After the engine's module trapped, its instance is not to be trusted (its stack pointer,
// its heap): a later load imports the glue under another URL, which makes a new instance.
let engineLoads = 0;
self.notebookLoadScriptEngine = async () => {
  if (glue === null) throw new Error('the worker has not started');
  const url = (name) => new URL(`engine/${name}`, glue.url).href;
  engineLoads += 1;
  const fresh = engineLoads === 1 ? '' : `?instance=${engineLoads}`;
  const engine = await import(url('script_engine.js') + fresh);
  await engine.default({ module_or_path: url('script_engine_bg.wasm') });
  return new engine.EngineHandle();
};
self.onmessage = async ({ data }) => {
  self.onmessage = null;
  try {
    const bindings = await importGlue(data.glue);
    await bindings.default({ module_or_path: data.module });
    bindings[data.entry]();
  } catch (error) {
    // Rethrown outside the promise so the page's `onerror` hears that the worker died.
    setTimeout(() => { throw error; });
  }
};
