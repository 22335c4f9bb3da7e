// The "Choose k" window as a user meets it: open it with the key, run the sweep with its button,
// click a suggested k on a curve and a thumbnail of the k-grid, compare random and k-means++
// starts, cancel a sweep. The app's stats must follow every click; screenshots are kept.

import assert from 'node:assert/strict';
import { test, openApp, waitForStatus } from './harness.mjs';

const chooseK = (page) => page.evaluate(() => window.kpix.chooseK());

async function waitChooseK(page, predicate, what, timeoutMs = 150_000) {
  const deadline = Date.now() + timeoutMs;
  let last = null;
  for (;;) {
    last = await chooseK(page);
    if (predicate(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; last: ${JSON.stringify(last).slice(0, 400)}`);
    await page.waitForTimeout(100);
  }
}

async function waitForK(page, k) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const stats = await page.evaluate(() => window.kpix.stats());
    if (stats.status === 'done' && stats.k === k) return stats;
    if (Date.now() > deadline) throw new Error(`k did not become ${k}: ${JSON.stringify(stats).slice(0, 300)}`);
    await page.waitForTimeout(100);
  }
}

const centre = ([x0, y0, x1, y1]) => ({ x: (x0 + x1) / 2, y: (y0 + y1) / 2 });
const shown = ([x0, y0, x1, y1]) => x1 > x0 && y1 > y0;

test('choose k: sweep, click a suggested k, click a thumbnail, compare inits', async ({ page, baseUrl, artifacts }) => {
  const first = await openApp(page, baseUrl, { fragment: '#sample=coffee&k=8' });
  assert.equal(first.k, 8);

  await page.keyboard.press('k');
  const opened = await waitChooseK(page, (c) => c.open && shown(c.run_button), 'window open');
  assert.equal(opened.k_lo, 2);
  assert.equal(opened.k_hi, 16);
  assert.equal(opened.suggested, null, 'nothing is suggested before a sweep');

  const run = centre(opened.run_button);
  await page.mouse.click(run.x, run.y);
  // Progress is shown while it works; the frame keeps answering.
  const working = await waitChooseK(page, (c) => c.busy && shown(c.cancel_button), 'sweep running', 20_000);
  assert.equal(working.task, 'sweep');
  await artifacts.screenshot('choose-k-running');
  const done = await waitChooseK(page, (c) => !c.busy && c.sweep.length === 15 && c.grid.length === 9, 'sweep and grid');
  assert.deepEqual(done.sweep.map((p) => p.k), [...Array(15).keys()].map((i) => i + 2));
  for (let i = 0; i + 1 < done.sweep.length; i += 1) {
    assert.ok(done.sweep[i].inertia > done.sweep[i + 1].inertia, `inertia falls with k (k = ${done.sweep[i].k})`);
  }
  for (const name of ['elbow', 'silhouette', 'gap']) {
    const k = done.suggested[name];
    assert.ok(k >= 2 && k <= 16, `${name} suggests ${k}`);
    const [x, y] = done.suggested_at[name];
    assert.ok(x > 0 && y > 0, `${name}'s suggestion is drawn`);
  }
  assert.deepEqual(done.grid.map((t) => t.k), [2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.ok(done.grid.every((t) => t.rect && shown(t.rect)), 'every thumbnail is on screen');
  console.log(`#   sweep 2..16 on coffee (600 x 400) in the browser: ${done.seconds_sweep.toFixed(2)} s; suggested ${JSON.stringify(done.suggested)}`);
  await page.waitForTimeout(300);
  await artifacts.screenshot('choose-k-sweep');

  // A suggestion other than the k in use, so that the click must change it.
  const pick = ['elbow', 'gap', 'silhouette'].find((name) => done.suggested[name] !== 8);
  assert.ok(pick, `every metric suggests 8: ${JSON.stringify(done.suggested)}`);
  const want = done.suggested[pick];
  const [sx, sy] = done.suggested_at[pick];
  await page.mouse.click(sx, sy);
  const clustered = await waitForK(page, want);
  assert.match(clustered.link, new RegExp(`k=${want}(&|$)`));
  await page.waitForTimeout(300);
  await artifacts.screenshot('choose-k-clicked-suggestion');

  // A thumbnail of the grid: k = 3 (not the suggestion just used, unless it was 3: then 4).
  const tileK = want === 3 ? 4 : 3;
  const tile = (await chooseK(page)).grid.find((t) => t.k === tileK);
  const at = centre(tile.rect);
  await page.mouse.click(at.x, at.y);
  await waitForK(page, tileK);

  // Random vs k-means++ at the current k, 10 seeds.
  const before = await chooseK(page);
  const inits = centre(before.inits_button);
  await page.mouse.click(inits.x, inits.y);
  const compared = await waitChooseK(page, (c) => !c.busy && c.inits !== null, 'init comparison');
  assert.equal(compared.inits.k, tileK);
  assert.equal(compared.inits['kmeans++'].length, 10);
  assert.equal(compared.inits.random.length, 10);
  assert.ok(compared.inits.random.every((v) => v > 0) && compared.inits['kmeans++'].every((v) => v > 0));
  // The sweep and the grid are still there for the same photo.
  assert.equal(compared.sweep.length, 15);
  // The dots are at the bottom of the window: scroll it as a user would.
  await page.mouse.move(inits.x, inits.y + 200);
  await page.mouse.wheel(0, 1000);
  await page.waitForTimeout(500);
  await artifacts.screenshot('choose-k-inits');
}, { timeoutMs: 300_000 });

test('choose k: Cancel stops a sweep and the app stays usable', async ({ page, baseUrl }) => {
  await openApp(page, baseUrl, { fragment: '#sample=chelsea&k=5' });
  await page.keyboard.press('k');
  const opened = await waitChooseK(page, (c) => c.open && shown(c.run_button), 'window open');
  const run = centre(opened.run_button);
  await page.mouse.click(run.x, run.y);
  const working = await waitChooseK(page, (c) => c.busy && shown(c.cancel_button), 'sweep running', 20_000);
  const cancel = centre(working.cancel_button);
  await page.mouse.click(cancel.x, cancel.y);
  const stopped = await waitChooseK(page, (c) => !c.busy, 'sweep stopped', 60_000);
  assert.equal(stopped.note, 'Cancelled.');
  assert.equal(stopped.sweep.length, 0, 'a cancelled sweep shows no curves');
  // The main controls still work: + clusters at k = 6.
  await page.keyboard.press('=');
  const after = await waitForK(page, 6);
  assert.equal(after.status, 'done');
  await waitForStatus(page, 'done');
}, { timeoutMs: 200_000 });
