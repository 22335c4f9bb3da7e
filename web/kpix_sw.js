// kpix's service worker, for static hosts that cannot send headers: it re-issues this origin's
// responses with the Cross-Origin-Opener-Policy / -Embedder-Policy pair (and a same-origin
// Cross-Origin-Resource-Policy), so that once it controls the page a reload makes the page
// cross-origin isolated and the threaded build loads. web/kpix_page.js registers it only when the
// page is not isolated. It caches nothing and touches no other origin's requests.
'use strict';

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

// Take over at once: the page that registered us only needs a reload, not a second visit.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

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

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (new URL(request.url).origin !== self.location.origin) return;
  // NOTE: Chromium throws on fetch() of an 'only-if-cached' request unless its mode is
  // same-origin (DevTools makes such requests); let the browser handle those itself.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(fetch(request).then(isolated));
});
