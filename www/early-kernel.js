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
//
// Whatever keeps the notebook from starting ends in a message in place of "Loading the
// notebook…", never in that line for ever. A cause this script can see (a page opened from
// disk, no WebAssembly, no web workers, the loader's script refused, the module not
// fetched) is said at once; the watchdog says the rest after a while. The messages are
// plain text and code, readable unstyled (a page opened from disk gets no stylesheet).
{
  // Shows `parts` (text, and `[text]` for a command) in place of the loading line, once
  // the body is parsed (it is not yet when this runs); not once the notebook is drawn.
  const say = (...parts) => {
    const show = () => {
      const loading = document.querySelector('#notebook .loading');
      if (!loading) return;
      loading.setAttribute('role', 'alert');
      loading.replaceChildren(...parts.map((part) => typeof part === 'string'
        ? part
        : Object.assign(document.createElement('code'), { textContent: part[0] })));
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', show, { once: true });
    else show();
  };
  // Says why the notebook cannot start: the first cause only (what fails after it
  // usually fails because of it).
  window.notebookCannotStart = (...parts) => {
    if (window.notebookStartFailure) return;
    window.notebookStartFailure = parts.flat().join('');
    say(...parts);
  };
  // The loader's module script (inline: its import of the glue failed) or the glue's
  // preload could not be loaded (blocked, or missing from the host).
  window.addEventListener('error', (event) => {
    const node = event.target;
    if ((node instanceof HTMLScriptElement && node.type === 'module' && !node.src)
      || (node instanceof HTMLLinkElement && node.rel === 'modulepreload')) {
      window.notebookCannotStart("The notebook could not start: its script could not be loaded. Reload the page; if this stays, the browser's console says why.");
    }
  }, true);
  // A start this long has gone wrong where this script cannot see (a stalled download, an
  // extension in the way); a cause found later still replaces this message.
  setTimeout(() => window.notebookStartFailure || say(
    "The notebook has not started after a minute: reload the page; if this stays, the browser's console says why."), 60000);
}
window.notebookEarlyLoad = (gluePath, wasmPath) => {
  const { protocol, pathname } = window.location;
  const cause = protocol === 'file:'
    ? 'This notebook cannot run from a file on disk: browsers load its WebAssembly module and scripts only from a web server.'
    : typeof WebAssembly !== 'object'
      ? 'This browser cannot run the notebook: it has no WebAssembly (an old browser, or a setting or an extension that turns it off).'
      : typeof Worker !== 'function'
        ? 'This browser cannot run the notebook: it has no web workers, which run its cells.'
        : null;
  if (cause) {
    if (protocol === 'file:') {
      // The folder of this page, as a shell takes it (quoted only where it needs to be).
      const folder = decodeURIComponent(pathname.replace(/[^/]*$/, '')).replace(/^\/(?=[A-Za-z]:)/, '');
      const quoted = /^[\w\/.:@+-]+$/.test(folder) ? folder : `'${folder.replaceAll("'", `'"'"'`)}'`;
      window.notebookCannotStart(cause, ' Serve its folder, for instance with ', [`python3 -m http.server -d ${quoted}`],
        ', and open ', ['http://localhost:8000/'], '.');
    } else {
      window.notebookCannotStart(cause);
    }
    // The loader's init, if the glue loads at all, gets this instead of a module.
    window.notebookModule = Promise.reject(new Error(cause));
    window.notebookModule.then(null, () => {});
    return;
  }
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
