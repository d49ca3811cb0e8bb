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
