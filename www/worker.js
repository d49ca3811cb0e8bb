// Boots a web worker of the notebook (the kernel, and later worker processes).
// The boot message names the wasm-bindgen glue module to import, carries the wasm module
// the page already compiled, and names the exported entry point to call. The page's early
// script may send `{ prepare: glueUrl }` first, so the glue is fetched and evaluated while
// the page is still compiling the module.
let glue = null;
const importGlue = (url) => {
  if (glue === null || glue.url !== url) glue = { url, module: import(url) };
  return glue.module;
};
self.onmessage = async ({ data }) => {
  if (data.prepare) {
    importGlue(data.prepare).catch(() => {}); // a failure shows again at the boot message
    return;
  }
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
