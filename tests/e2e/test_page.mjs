// Browser tests of the page around the app: start-up under COOP/COEP, and the three ways a photo
// arrives (drop, paste, and their failures), checked through window.kpix.stats() and screenshots.

import assert from 'node:assert/strict';
import {
  test, openApp, waitForStatus, dropFile, dropText, pasteFile, pasteText,
} from './harness.mjs';

const CHINA = '/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg';
const DEFAULT_K = 8;
const NOT_AN_IMAGE = /not an image/i;

// Checks the stats of china.jpg clustered with the app's defaults.
function assertChinaStats(stats) {
  assert.equal(stats.width, 640);
  assert.equal(stats.height, 427);
  assert.equal(stats.k, DEFAULT_K);
  assert.equal(stats.palette.length, stats.k, 'one palette entry per cluster');
  const shares = stats.palette.reduce((sum, entry) => sum + entry[3], 0);
  assert.ok(Math.abs(shares - 1) < 1e-3, `palette shares sum to ${shares}, not 1`);
  assert.ok(stats.inertia > 0, `inertia ${stats.inertia}`);
  assert.ok(stats.iterations >= 1, `iterations ${stats.iterations}`);
}

// Decodes a PNG screenshot inside the page (node has no PNG decoder) and returns how many
// distinct colours it has and, per palette entry, the distance to the nearest pixel colour.
async function screenshotColours(page, png, palette) {
  return page.evaluate(async ({ base64, palette }) => {
    const binary = atob(base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const seen = new Set();
    for (let i = 0; i < pixels.length; i += 4) seen.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
    const nearest = palette.map(([r, g, b]) => {
      let best = Infinity;
      for (const c of seen) {
        const d = Math.hypot(((c >> 16) & 255) - r, ((c >> 8) & 255) - g, (c & 255) - b);
        if (d < best) best = d;
      }
      return best;
    });
    return { distinct: seen.size, nearest };
  }, { base64: png.toString('base64'), palette });
}

async function statusText(page) {
  const box = page.locator('#kpix-status');
  return (await box.isVisible()) ? (await box.textContent()).trim() : '';
}

test('page loads cross-origin isolated, runtime ready, full-window canvas', async ({ page, baseUrl }) => {
  await openApp(page, baseUrl);
  const facts = await page.evaluate(() => {
    const rect = document.getElementById('canvas').getBoundingClientRect();
    return {
      isolated: self.crossOriginIsolated,
      rect: [rect.left, rect.top, rect.width, rect.height],
      window: [innerWidth, innerHeight],
      scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
      statusHidden: document.getElementById('kpix-status').hidden,
      status: window.kpix.stats().status,
    };
  });
  assert.equal(facts.isolated, true, 'crossOriginIsolated');
  assert.deepEqual(facts.rect, [0, 0, ...facts.window], 'canvas covers the window');
  assert.deepEqual(facts.scroll, facts.window, 'no scrolling');
  assert.equal(facts.statusHidden, true, 'loading overlay hidden once ready');
  assert.equal(facts.status, 'done', 'the page opens on a clustered sample');
});

test('dropped photo is clustered and drawn with its palette', async ({ page, baseUrl, artifacts }) => {
  await openApp(page, baseUrl);
  await page.dispatchEvent('#canvas', 'dragenter', { dataTransfer: await page.evaluateHandle(() => new DataTransfer()) });
  assert.ok(await page.locator('#kpix-drop').isVisible(), 'drop highlight shown while dragging');
  await dropFile(page, CHINA);
  assert.ok(!(await page.locator('#kpix-drop').isVisible()), 'drop highlight gone after the drop');
  const stats = await waitForStatus(page, 'done', 60_000);
  assertChinaStats(stats);
  await page.waitForTimeout(500); // let the app draw the result
  const png = await artifacts.screenshot('china');
  const colours = await screenshotColours(page, png, stats.palette);
  assert.ok(colours.distinct > 50, `screenshot has only ${colours.distinct} colours`);
  stats.palette.forEach((entry, i) => {
    if (entry[3] < 0.05) return;
    assert.ok(colours.nearest[i] <= 6,
      `palette colour ${entry.slice(0, 3)} (share ${entry[3].toFixed(3)}) not on screen: nearest is ${colours.nearest[i].toFixed(1)} away`);
  });
});

test('broken and empty files give an error, and the app stays usable', async ({ page, baseUrl }) => {
  await openApp(page, baseUrl);
  const random = Buffer.alloc(4096);
  let x = 12345;
  for (let i = 0; i < random.length; i += 1) { x = (x * 1103515245 + 12345) >>> 0; random[i] = x >>> 24; }

  await dropFile(page, { name: 'bad.jpg', bytes: random });
  let stats = await waitForStatus(page, 'error', 20_000);
  assert.ok(stats.message && stats.message.trim().length > 5, `error message: ${JSON.stringify(stats.message)}`);

  await dropFile(page, CHINA);
  assertChinaStats(await waitForStatus(page, 'done', 60_000));

  await dropFile(page, { name: 'empty.png', bytes: Buffer.alloc(0) });
  stats = await waitForStatus(page, 'error', 20_000);
  assert.ok(stats.message && stats.message.trim().length > 5, `error message: ${JSON.stringify(stats.message)}`);

  // Refused in the page, before wasm: text and non-image files get one readable message.
  await dropText(page, 'not a picture');
  assert.match(await statusText(page), NOT_AN_IMAGE);
  await dropFile(page, { name: 'notes.txt', bytes: Buffer.from('hello') }, { waitForOpen: false });
  assert.match(await statusText(page), NOT_AN_IMAGE);

  await dropFile(page, CHINA);
  assertChinaStats(await waitForStatus(page, 'done', 60_000));
});

test('pasted photo is clustered; pasted text gets a readable message', async ({ page, baseUrl }) => {
  await openApp(page, baseUrl);
  await pasteFile(page, CHINA);
  assertChinaStats(await waitForStatus(page, 'done', 60_000));

  await pasteText(page, 'just some words');
  assert.match(await statusText(page), NOT_AN_IMAGE);
  assert.equal((await page.evaluate(() => window.kpix.stats())).status, 'done', 'the photo stays open');
});

test('window.kpixPickFile opens the file picker and the chosen photo is clustered', async ({ page, baseUrl }) => {
  await openApp(page, baseUrl);
  await page.mouse.click(640, 360); // the app calls kpixPickFile right after a click: user activation
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser', { timeout: 10_000 }),
    page.evaluate(() => window.kpixPickFile()),
  ]);
  assert.equal(chooser.isMultiple(), false);
  const before = await page.evaluate(() => window.kpix.opens);
  await chooser.setFiles(CHINA);
  await page.waitForFunction((n) => window.kpix.opens > n, before);
  assertChinaStats(await waitForStatus(page, 'done', 60_000));
});
