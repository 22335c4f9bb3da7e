// Large k, the segmentation use: k = 1000 with position on a real photo (the astronaut sample, on a
// working copy of 60 000 pixels so that the run stays short on a shared CI machine), started from
// SLIC's lattice (init grid). It must finish, open in the regions view and draw it.

import assert from 'node:assert/strict';
import { test, openApp } from './harness.mjs';

/** Polls the stats until the replay's position is drawn and predicate holds. */
async function waitShown(page, predicate, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await page.evaluate(() => window.kpix.stats());
    if (stats.status === 'done' && stats.shown && predicate(stats)) return stats;
    if (Date.now() > deadline) throw new Error(`view not shown in time: ${JSON.stringify(stats).slice(0, 300)}`);
    await page.waitForTimeout(100);
  }
}

test('k = 1000 with position finishes and opens in the regions view', async ({ page, baseUrl, artifacts }) => {
  const started = Date.now();
  const done = await openApp(page, baseUrl, {
    fragment: '#sample=astronaut&k=1000&xy=1&init=grid&work_pixels=60000',
    timeoutMs: 150_000,
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(`#   k = 1000, RGB+XY, init grid, 60 000 pixels: ${done.iterations} rounds, ${seconds.toFixed(1)} s from navigation`);
  assert.equal(done.sample, 'astronaut');
  assert.equal(done.k, 1000, `all 1000 clusters ran (note: ${done.note})`);
  assert.equal(done.init, 'grid');
  assert.equal(done.xy, 1);
  // The rounds ran on the working copy, and the stats (whose inertia_per_round the chart plots) say so.
  assert.ok(done.rounds_width * done.rounds_height <= 60000, `rounds on ${done.rounds_width} x ${done.rounds_height}`);
  assert.ok(done.rounds_width < done.width, `copy ${done.rounds_width} wide, image ${done.width}`);
  assert.equal(done.inertia_per_round.length, done.iterations);
  assert.match(done.link, /init=grid/);
  assert.match(done.link, /k=1000/);
  assert.ok(done.iterations >= 2, `rounds: ${done.iterations}`);
  // A position run of 100 or more clusters opens in the regions view, markers off.
  assert.equal(done.regions, true, 'the regions view is shown');
  assert.equal(done.region_markers, false);
  assert.equal(done.palette.length, 1000, 'the palette holds every colour');
  // The palette list is a clipped child of the side panel, not 1000 rows of it.
  const widgets = done.view.widgets;
  const palette = widgets.find((w) => /palette/.test(w.name));
  assert.ok(palette, `no palette list among ${widgets.map((w) => w.name).join(', ')}`);
  assert.ok(palette.rect[3] <= done.view.window[1] + 1, `the palette list ends in the window: ${palette.rect}`);
  // The final round is drawn: the regions with their boundaries.
  const final = await waitShown(page, (s) => s.phase === 'final');
  assert.equal(final.regions, true);
  await artifacts.screenshot('large-k-regions');
  // The replay copes with this many rounds and clusters: a middle round is labelled and drawn.
  const middle = 2 * Math.floor(done.iterations / 2);
  await page.evaluate((p) => window.kpix.setPosition(p), middle);
  const mid = await waitShown(page, (s) => s.position === middle, 60_000);
  assert.equal(mid.round, middle / 2 + 1);
  assert.equal(mid.phase, 'assign');
}, { timeoutMs: 200_000 });
