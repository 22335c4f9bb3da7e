// kpix's service worker, registered by web/kpix_page.js on every host. Two jobs:
// - Offline: it keeps the site's own files (kpix_precache.js lists them: the page, both wasm
//   builds, web/, the samples, the manifest and icons; generated at build time) in one cache named
//   by the build's version key. A new build installs a new cache in full, then drops the old ones,
//   so the page never mixes files of two builds. It answers from the network while there is one
//   and from that cache when there is not. It never stores anything else: a photo the user opens
//   is never fetched, so it cannot reach the cache.
// - Isolation: it re-issues this origin's responses with the Cross-Origin-Opener-Policy /
//   -Embedder-Policy pair (and a same-origin Cross-Origin-Resource-Policy), so that on a static host
//   that cannot send headers a reload makes the page cross-origin isolated and the threaded build
//   loads. Other origins' requests are left alone.
'use strict';

importScripts('kpix_precache.js');

const CACHE_PREFIX = 'kpix-';
const CACHE = CACHE_PREFIX + self.KPIX_PRECACHE.version;

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

// Fill this build's cache before taking over; addAll keeps nothing if any file fails, and then
// the previous worker (with its complete cache) stays in charge.
self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // 'reload': the files themselves, not what the HTTP cache may still hold of an older build.
    await cache.addAll(self.KPIX_PRECACHE.files.map((file) => new Request(file, { cache: 'reload' })));
    // Take over at once: the page that registered us only needs a reload, not a second visit.
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

// A response with the headers added; the body is streamed through, not copied.
function isolated(response) {
  // Opaque and error responses have no readable headers to extend.
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) {
    return response;
  }
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// The network is gone: the kept copy (a navigation to the folder itself is index.html), or the
// network's own error.
async function fromCache(request, error) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, { ignoreSearch: true })
    || (request.mode === 'navigate' ? await cache.match('index.html') : undefined);
  if (!kept) throw error;
  return isolated(kept);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (new URL(request.url).origin !== self.location.origin) return;
  // NOTE: Chromium throws on fetch() of an 'only-if-cached' request unless its mode is
  // same-origin (DevTools makes such requests); let the browser handle those itself.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  if (request.method !== 'GET') {
    event.respondWith(fetch(request).then(isolated));
    return;
  }
  event.respondWith(fetch(request).then(isolated, (error) => fromCache(request, error)));
});
