// Photos as phones make them, in the browser: a file stored sideways with an EXIF orientation
// comes out upright, and a Display P3 file is converted to sRGB (same mean colour as the original).

import assert from 'node:assert/strict';
import path from 'node:path';
import { test, openApp, waitForStatus, dropFile, ROOT } from './harness.mjs';

const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'photo');

async function dropAndWait(page, file) {
  await dropFile(page, path.join(FIXTURES, file));
  return waitForStatus(page, 'done');
}

// The original's pane as drawn (a screenshot of the app's own rect for it), averaged into a
// cols x rows grid of mean RGB colours, decoded inside the page (node has no PNG decoder).
async function shownGrid(page, stats, cols = 12, rows = 8) {
  const [x0, y0, x1, y1] = stats.view.rect;
  const png = await page.screenshot({ clip: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } });
  return page.evaluate(async ({ base64, cols, rows }) => {
    const binary = atob(base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(cols, rows);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, cols, rows);
    return Array.from(context.getImageData(0, 0, cols, rows).data);
  }, { base64: png.toString('base64'), cols, rows });
}

// Mean absolute difference of two grids' RGB values; `map` picks b's cell for a's cell.
function gridDistance(a, b, cols, rows, map = (x, y) => [x, y]) {
  let sum = 0;
  for (let y = 0; y < rows; y += 1) {
    for (let x = 0; x < cols; x += 1) {
      const [bx, by] = map(x, y);
      for (let c = 0; c < 3; c += 1) sum += Math.abs(a[(y * cols + x) * 4 + c] - b[(by * cols + bx) * 4 + c]);
    }
  }
  return sum / (cols * rows * 3);
}

async function waitShownStats(page) {
  await page.waitForFunction(() => { const s = window.kpix.stats(); return s.status === 'done' && s.shown; },
    null, { timeout: 30_000 });
  await page.waitForTimeout(200);
  return page.evaluate(() => window.kpix.stats());
}

test('an EXIF-rotated photo is shown upright and the stats say so', async ({ page, baseUrl, artifacts }) => {
  await openApp(page, baseUrl);
  const upright = await dropAndWait(page, 'orient_1.jpg');
  const uprightGrid = await shownGrid(page, await waitShownStats(page));
  const rotated = await dropAndWait(page, 'orient_6.jpg');
  const rotatedGrid = await shownGrid(page, await waitShownStats(page));
  assert.equal(upright.orientation, 1);
  assert.equal(rotated.orientation, 6);
  assert.deepEqual([rotated.width, rotated.height], [upright.width, upright.height]);
  assert.ok(rotated.width > rotated.height, 'landscape once upright');
  // What is drawn: the rotated file's pane shows the same picture as the upright file's, and not
  // that picture turned upside down (a wrong rotation would put the sky at the bottom).
  const same = gridDistance(uprightGrid, rotatedGrid, 12, 8);
  const flipped = gridDistance(uprightGrid, rotatedGrid, 12, 8, (x, y) => [11 - x, 7 - y]);
  assert.ok(same < 12, `the drawn panes differ by ${same.toFixed(1)} per channel`);
  assert.ok(flipped > 2 * same + 10, `an upside-down pane would differ by only ${flipped.toFixed(1)} (same ${same.toFixed(1)})`);
  await artifacts.screenshot('photo-orientation-6');
});

test('a Display P3 photo is converted: its mean colour matches the sRGB original', async ({ page, baseUrl }) => {
  await openApp(page, baseUrl);
  await page.evaluate(() => { location.hash = '#k=1'; });
  const srgb = await dropAndWait(page, 'flower_srgb.jpg');
  const p3 = await dropAndWait(page, 'flower_p3.jpg');
  assert.equal(srgb.k, 1);
  assert.equal(p3.k, 1);
  assert.match(p3.icc_profile, /P3/i);
  const [a, b] = [srgb.palette[0], p3.palette[0]];
  const distance = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
  assert.ok(distance <= 3, `mean colours ${a.slice(0, 3)} and ${b.slice(0, 3)} differ by ${distance.toFixed(2)} (RGB units)`);
});
