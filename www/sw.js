// The notebook's service worker: keeps the site for offline use and makes the page
// cross-origin isolated on hosts that cannot send headers.
//
// - Offline: on install it stores every file of this build (the list and version below are
//   written by scripts/offline-manifest.py after each build) in a cache named after the
//   version; the page itself is fetched network-first (so a new deployment is seen at once)
//   and every other file cache-first (their names carry a content hash). A new version
//   installs beside the old one and, once active, deletes the old caches.
// - Isolation: every same-origin response it hands out gets COOP and COEP headers, which
//   is what SharedArrayBuffer needs; hosts that set them already lose nothing.
const VERSION = 'dev';
const FILES = [];
const CACHE = `notebook-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(FILES.map((file) => new Request(file, { cache: 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('notebook-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

/** The response with the two headers that make the page cross-origin isolated. */
function isolated(response) {
  if (!response || response.status === 0 || response.type === 'opaque') return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function pageFirstFromNetwork(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put('./', response.clone());
    return response;
  } catch (offline) {
    const cached = await cache.match('./');
    if (cached) return cached;
    throw offline;
  }
}

async function fileFromCache(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  const answer = request.mode === 'navigate' ? pageFirstFromNetwork(request) : fileFromCache(request);
  event.respondWith(answer.then(isolated));
});
