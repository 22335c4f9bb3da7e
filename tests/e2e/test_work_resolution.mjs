// Working resolution: a photo larger than the working size is clustered on an averaged copy and
// the final palette is applied to every pixel, so the result keeps the photo's full size.

import assert from 'node:assert/strict';
import { test, openApp, waitForStatus } from './harness.mjs';

test('a 3.8 MP photo is clustered on a 2 MP copy and the result keeps its full size', async ({ page, baseUrl, artifacts }) => {
  await openApp(page, baseUrl);
  // chelsea scaled up to 2400 x 1600 in the page and handed over like a drop.
  await page.evaluate(async () => {
    const bitmap = await createImageBitmap(await (await fetch('samples/chelsea.png')).blob());
    const canvas = new OffscreenCanvas(2400, 1600);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, 2400, 1600);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    window.kpix.open(new Uint8Array(await blob.arrayBuffer()), 'chelsea-big.png');
  });
  const done = await waitForStatus(page, 'done', 120_000);
  assert.equal(done.width, 2400);
  assert.equal(done.height, 1600);
  assert.equal(done.work_pixels, 2000000);
  assert.match(done.note, /clustered on a \d+ x \d+ copy, labels applied to all 2400 x 1600 pixels/);
  const shares = done.palette.reduce((sum, c) => sum + c[3], 0);
  assert.ok(Math.abs(shares - 1) < 1e-3, `shares of the full image sum to 1: ${shares}`);
  // The replay's view (labels of the last round, the cloud's centroids) follows a moment later.
  await page.waitForFunction(() => window.kpix.stats().shown === true, null, { timeout: 60_000 });
  await artifacts.screenshot('work-resolution-3.8mp');
}, { timeoutMs: 240_000 });
