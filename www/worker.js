// Boots a web worker of the notebook (the kernel, and later worker processes).
// The first message names the wasm-bindgen glue module to import, carries the wasm
// module the page already compiled, and names the exported entry point to call.
self.onmessage = async ({ data }) => {
  self.onmessage = null;
  try {
    const glue = await import(data.glue);
    await glue.default({ module_or_path: data.module });
    glue[data.entry]();
  } catch (error) {
    // Rethrown outside the promise so the page's `onerror` hears that the worker died.
    setTimeout(() => { throw error; });
  }
};
