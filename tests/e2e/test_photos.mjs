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

test('an EXIF-rotated photo is shown upright and the stats say so', async ({ page, baseUrl, artifacts }) => {
  await openApp(page, baseUrl);
  const upright = await dropAndWait(page, 'orient_1.jpg');
  const rotated = await dropAndWait(page, 'orient_6.jpg');
  assert.equal(upright.orientation, 1);
  assert.equal(rotated.orientation, 6);
  assert.deepEqual([rotated.width, rotated.height], [upright.width, upright.height]);
  assert.ok(rotated.width > rotated.height, 'landscape once upright');
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
