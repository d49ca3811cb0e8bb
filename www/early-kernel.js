// Inlined at the top of the page. Defines `notebookEarlyLoad`, which the loader Trunk writes
// from `pattern_script` in Trunk.toml calls a line further down with the URLs of the
// wasm-bindgen glue and of the module, while the page is still being parsed. It:
// - starts the kernel's web worker, naming the glue in its URL (`worker.js#glue=...`) so the
//   worker imports it at once;
// - starts fetching the module and compiling it as it streams in (`notebookModule`, which
//   the loader hands to the glue's init in place of a URL);
// - boots the worker as soon as the module is compiled, without waiting for the page to
//   instantiate it, and keeps what the worker says before the page listens.
// `take_early_kernel` in src/browser/worker.rs adopts the worker through the globals below.
// If the module got there first, it has set `notebookEarlyKernel` to null and started its
// own worker: no worker here. A failure before the page listens is noted, so the page
// counts it as a failed start.
window.notebookEarlyLoad = (gluePath, wasmPath) => {
  const glue = new URL(gluePath, document.baseURI).href;
  let worker = null;
  if (window.notebookEarlyKernel === undefined) {
    try {
      const url = new URL('worker.js', document.baseURI);
      url.hash = new URLSearchParams({ glue }).toString();
      worker = new Worker(url, { type: 'module', name: 'kernel' });
      worker.addEventListener('error', (event) => {
        window.notebookEarlyKernelError = event.message || 'the kernel worker failed to start';
      }, { once: true });
      const events = [];
      worker.onmessage = (event) => events.push(event);
      window.notebookEarlyKernelEvents = events;
    } catch (refused) {
      worker = null; // the page starts its kernel itself
    }
    window.notebookEarlyKernel = worker;
  }
  // Compiled while it streams in where the host labels it as WebAssembly, from the whole
  // download otherwise.
  window.notebookModule = fetch(new URL(wasmPath, document.baseURI)).then((response) => {
    if (!response.ok) throw new Error(`the notebook's module could not be fetched (HTTP ${response.status})`);
    return response.headers.get('Content-Type')?.startsWith('application/wasm')
      ? WebAssembly.compileStreaming(response)
      : response.arrayBuffer().then((bytes) => WebAssembly.compile(bytes));
  });
  if (!worker) return;
  // Runs before the glue's own wait on the module ends (it waits on the same promise,
  // later), so the page finds the worker booted when it adopts it.
  window.notebookModule.then((module) => {
    if (window.notebookEarlyKernel !== worker) return;
    worker.postMessage({ glue, module, entry: 'kernel_main' });
    window.notebookEarlyKernelBooted = true;
  }, () => {}); // the page reports a module that did not compile
};
