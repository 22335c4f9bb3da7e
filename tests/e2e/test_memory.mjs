// Out of memory in wasm: the test hook holds on to all the memory the page's wasm can get (up to
// its 4 GB) but a few MB, so the next photo cannot be opened. The app must say so and stay
// usable: once the memory is let go, the next drop is clustered.

import assert from 'node:assert/strict';
import { test, openApp, waitForStatus, dropFile } from './harness.mjs';

const CHINA = '/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg';

// A 2400 x 1600 PNG made in the page: a small file (smooth gradients) whose pixels need far more
// memory than is left: 61 MB to decode, 184 MB to cluster.
async function bigGradientPng(page) {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(2400, 1600);
    const context = canvas.getContext('2d');
    const across = context.createLinearGradient(0, 0, 2400, 0);
    across.addColorStop(0, '#203060');
    across.addColorStop(1, '#e0a040');
    context.fillStyle = across;
    context.fillRect(0, 0, 2400, 1600);
    const down = context.createLinearGradient(0, 0, 0, 1600);
    down.addColorStop(0, 'rgba(255, 255, 255, 0.4)');
    down.addColorStop(1, 'rgba(0, 0, 0, 0.4)');
    context.fillStyle = down;
    context.fillRect(0, 0, 2400, 1600);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    return btoa(binary);
  });
  return Buffer.from(base64, 'base64');
}

async function outOfMemory({ page, baseUrl }) {
  await openApp(page, baseUrl);
  const png = await bigGradientPng(page);
  console.log(`#   ${png.length} bytes of PNG for 2400 x 1600 pixels`);
  // About 8 MB stay free: enough to take the file, not to decode it.
  const held = await page.evaluate(() => window.kpix.holdMemory(8));
  console.log(`#   held ${held} MB of wasm memory (${(await page.evaluate(() => window.kpix.memoryBytes())) / 1048576} MB in all)`);
  assert.ok(held > 1024, `only ${held} MB could be held: memory growth stopped early`);

  await dropFile(page, { name: 'big.png', bytes: png });
  const failed = await waitForStatus(page, 'error', 30_000);
  console.log(`#   message: ${failed.message}`);
  assert.match(failed.message, /Not enough memory to (open|cluster|process) this 2400 x 1600 image/);

  await page.evaluate(() => window.kpix.holdMemory(-1));
  await dropFile(page, { name: 'big.png', bytes: png });
  const stats = await waitForStatus(page, 'done', 90_000);
  assert.deepEqual([stats.width, stats.height], [2400, 1600]);
  await dropFile(page, CHINA);
  assert.equal((await waitForStatus(page, 'done', 60_000)).width, 640);
}

test('out of memory: the photo gets a message and the next drop works', outOfMemory);
test('out of memory (single-threaded): the photo gets a message and the next drop works', outOfMemory,
  { isolation: false });
