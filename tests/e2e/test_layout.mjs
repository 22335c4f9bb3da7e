// The layout at projector, laptop and narrow window sizes, measured from the app's own numbers
// (window.kpix.stats().view: window, images, widgets): how much of the window the images cover side
// by side (panels collapsed with h) and in the full-size before/after view (s), and that no window
// of the UI leaves the page. A screenshot of each state is kept.

import assert from 'node:assert/strict';
import { test, openApp } from './harness.mjs';

const SIZES = [[1280, 720], [1440, 900], [1920, 1080], [900, 700]];

// Stats once the last frame was drawn at this window size and `predicate` holds.
async function settled(page, predicate, timeoutMs = 20_000) {
  const { width, height } = page.viewportSize();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await page.evaluate(() => window.kpix.stats());
    if (s.status === 'done' && s.shown && s.view && s.view.window[0] === width && s.view.window[1] === height &&
        predicate(s)) {
      // One more frame or two so that the images are laid out for this state, then read again.
      await page.waitForTimeout(300);
      return page.evaluate(() => window.kpix.stats());
    }
    if (Date.now() > deadline) throw new Error(`layout did not settle: ${JSON.stringify(s.view).slice(0, 400)}`);
    await page.waitForTimeout(50);
  }
}

// The share of the window the drawn images cover (they never overlap).
function coverage(view) {
  const [w, h] = view.window;
  let area = 0;
  for (const [x0, y0, x1, y1] of view.images) {
    area += Math.max(0, Math.min(x1, w) - Math.max(x0, 0)) * Math.max(0, Math.min(y1, h) - Math.max(y0, 0));
  }
  return area / (w * h);
}

function assertInside(view, what) {
  const [w, h] = view.window;
  const tol = 1;
  const outside = view.widgets.filter(({ rect: [x0, y0, x1, y1] }) =>
    x0 < -tol || y0 < -tol || x1 > w + tol || y1 > h + tol);
  assert.deepEqual(outside, [], `${what}: windows leaving the ${w} x ${h} window`);
  for (const r of view.images) {
    assert.ok(r[0] >= -tol && r[1] >= -tol && r[2] <= w + tol && r[3] <= h + tol, `${what}: image ${r} leaves the window`);
  }
}

for (const [width, height] of SIZES) {
  test(`layout at ${width} x ${height}: images cover the window, nothing leaves it`, async ({ page, baseUrl, artifacts }) => {
    await page.setViewportSize({ width, height });
    await openApp(page, baseUrl);
    const name = `layout-${width}x${height}`;

    const panels = await settled(page, (s) => s.view.side_panel && s.view.cloud && s.view.images.length === 2);
    assertInside(panels.view, 'with the panels');
    assert.ok(panels.view.widgets.length >= 3, 'the windows drawn are reported');
    await artifacts.screenshot(`${name}-panels`);

    await page.keyboard.press('h');
    const images = await settled(page, (s) => !s.view.side_panel && !s.view.cloud && s.view.images.length === 2);
    assertInside(images.view, 'panels collapsed');
    await artifacts.screenshot(`${name}-side-by-side`);

    await page.keyboard.press('s');
    const split = await settled(page, (s) => s.view.split && s.view.images.length === 1);
    assertInside(split.view, 'before | after');
    assert.deepEqual(split.view.images[0], split.view.rect, 'the split image is the one the test hook calls rect');
    await artifacts.screenshot(`${name}-before-after`);

    await page.keyboard.press('s');
    await page.keyboard.press('h');
    await page.keyboard.press('p');
    const presenter = await settled(page, (s) => s.presenter && s.view.side_panel && s.view.images.length === 2);
    assertInside(presenter.view, 'presenter mode');
    await artifacts.screenshot(`${name}-presenter`);

    const figures = [panels, images, split, presenter].map((s) => (coverage(s.view) * 100).toFixed(1));
    console.log(`# ${width} x ${height}: images cover ${figures[0]} % with the panels, ${figures[1]} % side by side ` +
      `(panels collapsed), ${figures[2]} % before | after, ${figures[3]} % in presenter mode`);
    assert.ok(coverage(images.view) >= 0.35, `side by side the images cover ${figures[1]} % (want >= 35 %)`);
    assert.ok(coverage(split.view) >= 0.65, `before | after the image covers ${figures[2]} % (want >= 65 %)`);
  });
}
