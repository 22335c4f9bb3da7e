// The layout at projector, laptop and narrow window sizes, measured from the app's own numbers
// (window.kpix.stats().view: window, images, cloud_area, timeline_area, widgets): how much of the
// window the images cover side by side (with the side panel and the cloud shown, and collapsed
// with h) and in the full-size before/after view (s), and that no window of the UI leaves the page.
// The light theme travels in the link. A screenshot of each state is kept.

import assert from 'node:assert/strict';
import zlib from 'node:zlib';
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
  for (const r of [...view.images, view.cloud_area, view.timeline_area]) {
    assert.ok(r[0] >= -tol && r[1] >= -tol && r[2] <= w + tol && r[3] <= h + tol, `${what}: rect ${r} leaves the window`);
  }
}

// Rects [x0, y0, x1, y1] that overlap by more than a pixel.
function overlaps(a, b) {
  return Math.min(a[2], b[2]) - Math.max(a[0], b[0]) > 1 && Math.min(a[3], b[3]) - Math.max(a[1], b[1]) > 1;
}

// The colour of one pixel of the page: a 1 x 1 screenshot, its PNG's one row inflated.
async function pixel(page, x, y) {
  const png = await page.screenshot({ clip: { x, y, width: 1, height: 1 } });
  const chunks = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const row = zlib.inflateSync(Buffer.concat(chunks));
  return [row[1], row[2], row[3]]; // after the row's filter byte (none or sub: the same for one pixel)
}

for (const [width, height] of SIZES) {
  test(`layout at ${width} x ${height}: images cover the window, nothing leaves it`, async ({ page, baseUrl, artifacts }) => {
    await page.setViewportSize({ width, height });
    await openApp(page, baseUrl);
    const name = `layout-${width}x${height}`;

    const panels = await settled(page, (s) => s.view.side_panel && s.view.cloud && s.view.images.length === 2);
    assertInside(panels.view, 'with the panels');
    assert.ok(panels.view.widgets.length >= 3, 'the windows drawn are reported');
    const { cloud_area: cloud, timeline_area: timeline } = panels.view;
    assert.ok(cloud[2] - cloud[0] >= 100 && cloud[3] - cloud[1] >= 100, `the cloud is drawn large enough: ${cloud}`);
    assert.ok(timeline[3] - timeline[1] >= 100, `the timeline has room: ${timeline}`);
    for (const part of [cloud, timeline]) {
      for (const image of panels.view.images) assert.ok(!overlaps(part, image), `${part} overlaps image ${image}`);
    }
    assert.ok(!overlaps(cloud, timeline), `the cloud ${cloud} overlaps the timeline ${timeline}`);
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
    assert.ok(coverage(panels.view) >= 0.35, `with the panels the images cover ${figures[0]} % (want >= 35 %)`);
    assert.ok(coverage(images.view) >= 0.35, `side by side the images cover ${figures[1]} % (want >= 35 %)`);
    assert.ok(coverage(split.view) >= 0.65, `before | after the image covers ${figures[2]} % (want >= 65 %)`);
  });
}

test('the light theme: the link carries it, the page turns light, and back', async ({ page, baseUrl, artifacts }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await openApp(page, baseUrl, { fragment: '#sample=coffee&theme=light' });
  const light = await settled(page, (s) => s.light);
  assert.ok(light.link.endsWith('&theme=light'), `the link keeps the theme: ${light.link}`);
  const lightGround = await pixel(page, 1917, 1077);
  assert.ok(Math.min(...lightGround) > 200, `the light theme's ground is light: ${lightGround}`);
  await artifacts.screenshot('light-1920x1080');

  await page.keyboard.press('p');
  const presenter = await settled(page, (s) => s.presenter && s.light && s.view.images.length === 2);
  assertInside(presenter.view, 'presenter mode, light');
  await artifacts.screenshot('light-presenter-1920x1080');
  await page.keyboard.press('p');

  // A link without the theme is the dark default.
  await page.evaluate(() => { location.hash = 'sample=coffee'; });
  const dark = await settled(page, (s) => !s.light && !s.presenter);
  assert.ok(!dark.link.includes('theme'), `the default theme is not written: ${dark.link}`);
  const darkGround = await pixel(page, 1917, 1077);
  assert.ok(Math.max(...darkGround) < 80, `the dark theme's ground is dark: ${darkGround}`);

  // The "l" key switches the theme, and the link follows.
  await page.keyboard.press('l');
  const keyed = await settled(page, (s) => s.light);
  assert.ok(keyed.link.endsWith('&theme=light'), `the link follows the key: ${keyed.link}`);
  assert.ok(Math.min(...await pixel(page, 1917, 1077)) > 200, 'the key turned the page light');
  await page.keyboard.press('l');
  await settled(page, (s) => !s.light);
});

test('the changed-pixels bars under the scrubber: a click shows that round', async ({ page, baseUrl, artifacts }) => {
  await openApp(page, baseUrl);
  const s = await settled(page, (st) => st.phase === 'final' && st.view.bars_area[2] > st.view.bars_area[0]);
  const [x0, y0, x1, y1] = s.view.bars_area;
  const [t0, u0, t1, u1] = s.view.timeline_area;
  assert.ok(x0 >= t0 && x1 <= t1 && y0 >= u0 && y1 <= u1, `the bars ${s.view.bars_area} lie in the timeline ${s.view.timeline_area}`);
  const y = (y0 + y1) / 2;
  await page.mouse.click(x0 + 2, y);
  const first = await settled(page, (st) => st.position === 0);
  assert.equal(first.round, 1);
  await page.mouse.click(x1 - 2, y);
  const last = await settled(page, (st) => st.position === 2 * (st.iterations - 1));
  assert.equal(last.phase, 'assign');
  await artifacts.screenshot('bars-last-round');
});

test('the palette: a click on a swatch copies its hex', async ({ page, context, baseUrl }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseUrl).origin });
  await openApp(page, baseUrl);
  const s = await settled(page, (st) => st.view.swatches.length >= 3);
  const [x0, y0, x1, y1] = s.view.swatches[2];
  assert.ok(x1 - x0 >= 40 && y1 - y0 >= 24, `a swatch is large enough to see: ${s.view.swatches[2]}`);
  await page.mouse.click((x0 + x1) / 2, (y0 + y1) / 2);
  const want = `#${s.palette[2].slice(0, 3).map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  // page.evaluate awaits the clipboard's promise (waitForFunction would take the promise as truthy).
  let held = '';
  for (const deadline = Date.now() + 5000; held !== want && Date.now() < deadline;) {
    await page.waitForTimeout(100);
    held = await page.evaluate(() => navigator.clipboard.readText());
  }
  assert.equal(held, want, 'the clipboard holds the clicked colour');
});
