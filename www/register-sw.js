// Registers the service worker (www/sw.js) that keeps the notebook for offline use and
// makes it cross-origin isolated. A page opened before its service worker existed is not
// isolated; it is reloaded once, as soon as the worker controls it, unless a cell has
// already run or a field has the focus (then shared memory waits for the next visit rather
// than losing outputs or typing). A kernel still starting is let finish first: reloading
// while it opens the files database for the first time can leave that database unable to
// open again in Chromium, and the next kernel would wait for it for ever.
if ('serviceWorker' in navigator && window.isSecureContext) {
  const reloadOnceTheKernelStarted = () => {
    const status = document.querySelector('.kernel-status');
    if (status?.dataset.state !== 'starting') {
      window.location.reload();
      return;
    }
    const watch = new MutationObserver(() => {
      if (status.dataset.state !== 'starting') {
        watch.disconnect();
        window.location.reload();
      }
    });
    watch.observe(status, { attributes: true, attributeFilter: ['data-state'] });
  };
  const hadController = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    const anyCellRan = document.querySelector('article.code-cell:not([data-state="idle"])');
    const typing = document.activeElement?.matches('input, textarea, select');
    let reloaded = true;
    try {
      reloaded = sessionStorage.getItem('notebook-isolation-reload') !== null;
      if (!reloaded) sessionStorage.setItem('notebook-isolation-reload', '1');
    } catch (refused) {
      // No session storage: no way to avoid reloading in circles, so do not reload.
    }
    if (!hadController && !window.crossOriginIsolated && !anyCellRan && !typing && !reloaded) {
      reloadOnceTheKernelStarted();
    }
  });
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((error) => {
    console.warn('The notebook works without offline support here:', error);
  });
}
