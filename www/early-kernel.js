// Starts the kernel's web worker as soon as the page begins to load (this script is
// inlined at the top of the page), so the worker's thread and boot script are ready by the
// time the notebook's module has been fetched and compiled (the page then hands the worker
// its module: see `take_early_kernel` in src/browser/worker.rs), and has the worker fetch
// the wasm-bindgen glue meanwhile. If the module got there first, it has set
// `notebookEarlyKernel` to null and started its own worker: do nothing. A failure before
// the page listens is noted, so the page counts it as a failed start.
if (window.notebookEarlyKernel === undefined) {
  try {
    const worker = new Worker(new URL('worker.js', document.baseURI), { type: 'module', name: 'kernel' });
    worker.addEventListener('error', (event) => {
      window.notebookEarlyKernelError = event.message || 'the kernel worker failed to start';
    }, { once: true });
    window.notebookEarlyKernel = worker;
    // The glue's URL is in the module preload link Trunk writes further down the page.
    document.addEventListener('DOMContentLoaded', () => {
      const glue = document.querySelector('link[rel="modulepreload"]');
      if (glue && window.notebookEarlyKernel === worker) worker.postMessage({ prepare: glue.href });
    }, { once: true });
  } catch (refused) {
    window.notebookEarlyKernel = null; // the page starts its kernel itself
  }
}
