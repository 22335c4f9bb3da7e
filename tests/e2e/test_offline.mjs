// The installable, offline page: the web app manifest parses and names icons that load at their
// sizes; the service worker is active and keeps exactly the site's own files (kpix_precache.js,
// generated from the build); with the server stopped a reload and a fresh link still open the page,
// cluster a sample and a dropped photo; and a changed build replaces the cache in one step.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, openApp, waitForStatus, waitForReady, dropFile, ROOT } from './harness.mjs';

const CHINA = '/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg';
const WWW = path.resolve(ROOT, process.env.KPIX_WWW || 'build/wasm/www');

/** The precache list a folder's kpix_precache.js holds: { version, files }. */
function precacheOf(dir) {
  const text = fs.readFileSync(path.join(dir, 'kpix_precache.js'), 'utf8');
  const version = /version: '([0-9a-f]+)'/.exec(text)[1];
  const files = [...text.matchAll(/^ {4}'([^']+)',$/gm)].map((m) => m[1]);
  return { version, files };
}

/**
 * Waits until the service worker is active and controls the page; returns its state, the cache
 * names of the origin and the paths the one kpix cache holds.
 */
async function serviceWorker(page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
    const names = await caches.keys();
    const cached = [];
    for (const name of names) {
      for (const request of await (await caches.open(name)).keys()) cached.push(new URL(request.url).pathname);
    }
    return { state: registration.active.state, names, cached: cached.sort() };
  });
}

/** What the page shows: build, isolation and the status of its run. */
function pageFacts(page) {
  return page.evaluate(() => ({
    build: window.kpix.build, isolated: self.crossOriginIsolated, stats: window.kpix.stats(),
  }));
}

test('installable: the manifest parses, its icons load at their sizes, the service worker keeps the site\'s files', async ({ page, context, baseUrl }) => {
  await openApp(page, baseUrl);
  const cdp = await context.newCDPSession(page);
  const { url, errors, data } = await cdp.send('Page.getAppManifest');
  assert.equal(new URL(url).pathname, '/kpix.webmanifest');
  assert.deepEqual(errors, [], 'manifest parse errors');
  const manifest = JSON.parse(data);
  assert.equal(manifest.display, 'standalone');
  assert.equal(new URL(manifest.start_url, url).href, baseUrl);
  assert.equal(manifest.theme_color, '#1b1c1f');
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  console.log(`#   installability errors: ${JSON.stringify(installabilityErrors.map((e) => e.errorId))}`);
  // NOTE: a Playwright context is an off-the-record profile, where Chromium installs nothing
  // ("in-incognito"); any other reason (no manifest, icon, service worker...) is the page's.
  assert.deepEqual(installabilityErrors.filter((e) => e.errorId !== 'in-incognito'), [],
    'Chromium finds the page not installable');

  const wanted = new Set(['192x192 any', '512x512 any', '512x512 maskable']);
  for (const icon of manifest.icons) {
    const href = new URL(icon.src, url).href;
    const got = await page.evaluate(async (src) => {
      const response = await fetch(src);
      const type = response.headers.get('content-type');
      // createImageBitmap decodes raster images only; the SVG has no fixed size.
      const bitmap = type.startsWith('image/svg') ? null : await createImageBitmap(await response.blob());
      return { status: response.status, type, size: bitmap ? `${bitmap.width}x${bitmap.height}` : 'any' };
    }, href).catch((error) => ({ error: error.message }));
    assert.equal(got.status, 200, `${icon.src}: ${JSON.stringify(got)}`);
    assert.equal(got.type.split(';')[0], icon.type, icon.src);
    assert.equal(got.size, icon.sizes, icon.src);
    wanted.delete(`${icon.sizes} ${icon.purpose}`);
  }
  assert.deepEqual([...wanted], [], 'icons the manifest lacks');

  const sw = await serviceWorker(page);
  const { version, files } = precacheOf(WWW);
  assert.equal(sw.state, 'activated');
  assert.deepEqual(sw.names, [`kpix-${version}`], 'one cache, named by the build\'s version');
  assert.deepEqual(sw.cached, files.map((f) => `/${f}`).sort(), 'the cache holds the precache list');
  for (const must of ['index.html', 'kpix.js', 'kpix.wasm', 'kpix.worker.js', 'st/kpix.js', 'st/kpix.wasm',
    'web/kpix_page.js', 'kpix.webmanifest', 'icons/kpix-192.png', 'samples/coffee.png', 'samples/chelsea.png']) {
    assert.ok(files.includes(must), `${must} is not precached (${files.length} files are)`);
  }
});

async function worksOffline({ page, baseUrl, artifacts, stopServer }) {
  await openApp(page, baseUrl);
  await serviceWorker(page);
  await stopServer();
  await assert.rejects(fetch(baseUrl), 'the server still answers');

  await page.reload({ waitUntil: 'load' });
  await waitForReady(page);
  await waitForStatus(page, 'done', 60_000);
  const f = await pageFacts(page);
  assert.equal(f.isolated, true, 'isolated (the service worker adds the headers)');
  assert.equal(f.build, 'threads');

  // A link opened with the network gone: another sample, another k.
  await page.goto(`${baseUrl}#sample=chelsea&k=5`, { waitUntil: 'load' });
  await page.reload({ waitUntil: 'load' });
  await waitForReady(page);
  const sample = await waitForStatus(page, 'done', 60_000);
  assert.equal(sample.k, 5);
  assert.equal(sample.width, 451, 'the chelsea sample (451 x 300)');
  await page.waitForTimeout(300);
  await artifacts.screenshot('offline-sample');

  await dropFile(page, CHINA);
  const photo = await waitForStatus(page, 'done', 60_000);
  assert.deepEqual([photo.width, photo.height, photo.k], [640, 427, 5]);
  assert.ok(photo.inertia > 0);
  await page.waitForTimeout(300);
  await artifacts.screenshot('offline-photo');
}

test('offline: with the server stopped, the page reloads and opens links, clusters a sample and a dropped photo',
  worksOffline, { timeoutMs: 180_000 });
// A static host without COOP/COEP: the first visit is single-threaded; offline, the worker's
// headers make the page isolated, and the threaded build comes from the cache.
test('offline (host without COOP/COEP): with the server stopped, the page reloads and opens links, clusters a sample and a dropped photo',
  worksOffline, { timeoutMs: 180_000, isolation: false });

// A copy of the web build that the update test may change.
let copy = null;
function copyOfBuild() {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'kpix-www-'));
  fs.cpSync(WWW, copy, { recursive: true });
  process.once('exit', () => fs.rmSync(copy, { recursive: true, force: true }));
  return copy;
}

test('update: a new build replaces the cache in one step and the old one is deleted', async ({ page, baseUrl }) => {
  await openApp(page, baseUrl);
  const before = await serviceWorker(page);
  const old = precacheOf(copy);
  assert.deepEqual(before.names, [`kpix-${old.version}`]);

  // The next build: one file changed, the list regenerated as the build does it.
  const changed = path.join(copy, 'web', 'kpix_page.js');
  fs.appendFileSync(changed, '\n// the next build\n');
  execFileSync('cmake', [`-DWWW=${copy}`, '-P', path.join(ROOT, 'cmake', 'KpixPrecache.cmake')]);
  const next = precacheOf(copy);
  assert.notEqual(next.version, old.version, 'the version key follows the files');

  const after = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    const changed = new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    await registration.update();
    await changed;
    // The new worker is in charge; its activate step dropped the old cache.
    for (let i = 0; i < 50 && (await caches.keys()).length > 1; i += 1) await new Promise((r) => setTimeout(r, 100));
    const names = await caches.keys();
    const kept = await (await caches.open(names[names.length - 1])).match('web/kpix_page.js');
    return { names, tail: (await kept.text()).slice(-40) };
  });
  assert.deepEqual(after.names, [`kpix-${next.version}`], 'only the new build\'s cache');
  assert.match(after.tail, /the next build/, 'the cache holds the new file');

  await page.reload({ waitUntil: 'load' });
  await waitForReady(page);
  await waitForStatus(page, 'done', 60_000);
}, { www: copyOfBuild });
