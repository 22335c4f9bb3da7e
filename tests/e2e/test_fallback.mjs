// Browser tests of where the page runs: served with COOP/COEP it is cross-origin isolated and
// loads the threaded build; served without them it loads the single-threaded build (st/), says so
// quietly, and still clusters, replays and exports; and our service worker then makes the next
// load isolated and threaded.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test, openApp, waitForStatus, waitForReady, dropFile } from './harness.mjs';

const CHINA = '/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg';

/** The request paths (no origin) seen so far, in order. */
function paths(requests, baseUrl) {
  const origin = new URL(baseUrl).origin;
  return requests.filter((url) => url.startsWith(origin)).map((url) => new URL(url).pathname);
}

async function facts(page) {
  return page.evaluate(() => ({
    isolated: self.crossOriginIsolated,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    build: window.kpix.build,
    threads: window.kpix.stats().threads,
    note: document.getElementById('kpix-note').hidden ? '' : document.getElementById('kpix-note').textContent,
    controlled: Boolean(navigator.serviceWorker && navigator.serviceWorker.controller),
  }));
}

test('with COOP/COEP: isolated, the threaded build loads', async ({ page, baseUrl, requests }) => {
  const stats = await openApp(page, baseUrl);
  const f = await facts(page);
  assert.equal(f.isolated, true, 'crossOriginIsolated');
  assert.equal(f.build, 'threads');
  assert.ok(f.threads >= 2, `the engine runs on ${f.threads} threads`);
  assert.equal(f.note, '', 'no single-threaded note');
  const loaded = paths(requests, baseUrl);
  assert.ok(loaded.includes('/kpix.wasm') && loaded.includes('/kpix.worker.js'), `loaded: ${loaded.join(' ')}`);
  assert.ok(!loaded.some((p) => p.startsWith('/st/')), `the single-threaded build was fetched too: ${loaded.join(' ')}`);
  // The service worker registers here too (offline use: test_offline.mjs), but adds no note.
  const worker = await page.evaluate(async () => (await navigator.serviceWorker.ready).active.scriptURL);
  assert.equal(new URL(worker).pathname, '/kpix_sw.js');
  assert.equal(stats.status, 'done');
});

test('without COOP/COEP: the single-threaded build clusters, replays and exports, and says so', async ({ page, baseUrl, requests, artifacts }) => {
  const opened = await openApp(page, baseUrl, { fragment: '#sample=chelsea&k=5' });
  const f = await facts(page);
  assert.equal(f.isolated, false, 'not crossOriginIsolated');
  assert.equal(f.build, 'single');
  assert.equal(f.threads, 1);
  assert.match(f.note, /single-threaded: this host does not send COOP\/COEP/);
  const loaded = paths(requests, baseUrl);
  assert.ok(loaded.includes('/st/kpix.js') && loaded.includes('/st/kpix.wasm'), `loaded: ${loaded.join(' ')}`);
  assert.ok(!loaded.includes('/kpix.wasm'), 'the threaded build was not fetched');
  assert.equal(opened.k, 5);
  await artifacts.screenshot('sample');

  await dropFile(page, CHINA);
  const stats = await waitForStatus(page, 'done', 60_000);
  assert.deepEqual([stats.width, stats.height, stats.k], [640, 427, 5]);
  assert.ok(stats.inertia > 0 && stats.iterations >= 1, `inertia ${stats.inertia}, ${stats.iterations} rounds`);
  // The same seed gives the same clustering as the threaded build (reproducible on any thread
  // count); here at least it is deterministic: the next run of the same photo agrees.
  await page.waitForTimeout(300);
  await artifacts.screenshot('china');

  // Replay: the round labeler answers on the main thread.
  await page.evaluate(() => window.kpix.setPosition(0));
  await page.waitForFunction(() => { const s = window.kpix.stats(); return s.position === 0 && s.shown; },
    null, { timeout: 30_000 });
  const replay = await page.evaluate(() => window.kpix.stats());
  assert.deepEqual([replay.status, replay.round, replay.phase], ['done', 1, 'assign']);
  await artifacts.screenshot('round-0');

  // Exports are built between frames.
  const [download, ok] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.evaluate(() => window.kpix.export('png')),
  ]);
  assert.equal(ok, true);
  const png = fs.readFileSync(await download.path());
  assert.equal(png.readUInt32BE(16), 640);
  assert.equal(png.readUInt32BE(20), 427);
}, { isolation: false });

test('without COOP/COEP, our service worker makes the next load isolated and threaded', async ({ page, baseUrl, workerRequests, artifacts }) => {
  await openApp(page, baseUrl);
  assert.equal((await facts(page)).build, 'single');
  await page.waitForFunction(() => /reload to use threads/.test(document.getElementById('kpix-note').textContent),
    null, { timeout: 30_000 });
  // (Playwright counts the worker's script among the worker's own requests.)
  assert.ok(paths(workerRequests, baseUrl).includes('/kpix_sw.js'), 'the page registered kpix_sw.js');

  await page.reload({ waitUntil: 'load' });
  await waitForReady(page);
  await waitForStatus(page, 'done', 60_000);
  const f = await facts(page);
  assert.equal(f.controlled, true, 'the service worker controls the page');
  assert.equal(f.isolated, true, 'crossOriginIsolated after the reload');
  assert.equal(f.build, 'threads');
  assert.ok(f.threads >= 2, `the engine runs on ${f.threads} threads`);
  assert.equal(f.note, '');
  await artifacts.screenshot('threaded');

  await dropFile(page, CHINA);
  const stats = await waitForStatus(page, 'done', 60_000);
  assert.deepEqual([stats.width, stats.height], [640, 427]);
}, { isolation: false });

test('without COOP/COEP: the Choose k window sweeps k (its job runs in a frame, no worker thread)', async ({ page, baseUrl, artifacts }) => {
  await openApp(page, baseUrl, { fragment: '#sample=coffee&k=8' });
  assert.equal((await facts(page)).build, 'single');
  await page.keyboard.press('k');
  const chooseK = () => page.evaluate(() => window.kpix.chooseK());
  await page.waitForFunction(() => {
    const c = window.kpix.chooseK();
    return c.open && c.run_button[2] > c.run_button[0];
  }, null, { timeout: 20_000 });
  const [x0, y0, x1, y1] = (await chooseK()).run_button;
  await page.mouse.click((x0 + x1) / 2, (y0 + y1) / 2);
  await page.waitForFunction(() => {
    const c = window.kpix.chooseK();
    return !c.busy && c.sweep.length === 15 && c.grid.length === 9;
  }, null, { timeout: 150_000, polling: 250 });
  const done = await chooseK();
  for (const name of ['elbow', 'silhouette', 'gap']) {
    assert.ok(done.suggested[name] >= 2 && done.suggested[name] <= 16, `${name} suggests ${done.suggested[name]}`);
  }
  await artifacts.screenshot('choose-k');
  assert.equal((await page.evaluate(() => window.kpix.stats())).status, 'done', 'the app goes on');
}, { isolation: false, timeoutMs: 200_000 });
