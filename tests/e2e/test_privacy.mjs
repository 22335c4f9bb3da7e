// Privacy: every request the page makes is recorded while it loads, a photo is dropped, clustered,
// replayed and exported. The page may fetch only its own files (those in the web build), and the
// photo's part makes no network request at all, and nothing of it is left in the browser's storage
// (the service worker's cache holds the site's own files only). The requests are listed in the output.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test, openApp, waitForStatus, dropFile, ROOT } from './harness.mjs';

const CHINA = '/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg';
const WWW = path.resolve(ROOT, process.env.KPIX_WWW || 'build/wasm/www');

/** Whether url names a file of the web build on the page's own origin. */
function ownFile(url, origin) {
  const u = new URL(url);
  if (u.origin !== origin) return false;
  const rel = decodeURIComponent(u.pathname === '/' ? '/index.html' : u.pathname);
  const file = path.resolve(WWW, `.${rel}`);
  return file.startsWith(WWW + path.sep) && fs.statSync(file, { throwIfNoEntry: false })?.isFile() === true;
}

async function download(page, kind) {
  const [event, ok] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.evaluate((k) => window.kpix.export(k), kind),
  ]);
  assert.equal(ok, true, `export ${kind}`);
  await event.path();
}

async function photoMakesNoRequests({ page, baseUrl, requests, workerRequests }) {
  const origin = new URL(baseUrl).origin;
  await openApp(page, baseUrl);
  // Single-threaded: the page registers its service worker at start; let that finish first.
  await page.waitForFunction(() => window.kpix.build === 'threads'
    || /reload to use threads/.test(document.getElementById('kpix-note').textContent), null, { timeout: 30_000 });
  // On every host the service worker then keeps the site's own files for offline use: let it finish.
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  const loaded = requests.length;
  const workerLoaded = workerRequests.length;

  await dropFile(page, CHINA);
  await waitForStatus(page, 'done', 60_000);
  await page.evaluate(() => window.kpix.setPosition(1));
  await page.waitForTimeout(300);
  for (const kind of ['png', 'gpl', 'gif']) await download(page, kind);

  const all = [...new Set([...requests, ...workerRequests])];
  console.log(`#   ${all.length} distinct requests (${requests.length + workerRequests.length} in all, the service worker's included):`);
  for (const url of all) console.log(`#     ${url.startsWith(origin) ? url.slice(origin.length) : url}`);
  const notOwn = all.filter((url) => !/^(data|blob):/.test(url) && !ownFile(url, origin));
  assert.deepEqual(notOwn, [], 'requests for anything but the page\'s own files');
  // The photo's part: the download links are blob: URLs made in the page; nothing goes out.
  const duringPhoto = [...requests.slice(loaded), ...workerRequests.slice(workerLoaded)]
    .filter((url) => !url.startsWith('blob:'));
  assert.deepEqual(duringPhoto, [], 'requests while the photo was dropped, clustered and exported');

  // Nor is the photo kept in the browser: no web storage, no database, and the cache (the service
  // worker's offline copy) holds only the page's own files.
  const stored = await page.evaluate(async () => {
    const cached = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) cached.push(request.url);
    }
    return {
      local: localStorage.length,
      session: sessionStorage.length,
      databases: (await indexedDB.databases()).map((d) => d.name),
      cached,
    };
  });
  assert.ok(stored.cached.length > 0, 'the service worker keeps the page for offline use');
  assert.deepEqual(stored.cached.filter((url) => !ownFile(url, origin)), [], 'cache entries that are not the page\'s own files');
  assert.deepEqual({ ...stored, cached: [] }, { local: 0, session: 0, databases: [], cached: [] }, 'nothing stored by the page');
}

test('privacy: only the page\'s own files are requested; the photo causes no request', photoMakesNoRequests);
test('privacy (single-threaded): only the page\'s own files are requested; the photo causes no request',
  photoMakesNoRequests, { isolation: false });
