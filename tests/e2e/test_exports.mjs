// Exports in the browser: the test hook builds an export as the Export buttons do, and the page
// downloads it. The PNG has the photo's full size, the palettes list k colours, the GIF animates.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test, openApp } from './harness.mjs';

/** Calls window.kpix.export(kind) and returns the download's suggested name and bytes. */
async function download(page, kind) {
  const [event, ok] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.evaluate((k) => window.kpix.export(k), kind),
  ]);
  assert.equal(ok, true, `kpix.export('${kind}') found nothing to export`);
  const file = await event.path();
  return { name: event.suggestedFilename(), bytes: fs.readFileSync(file) };
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'PNG signature');
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** Image descriptors in a GIF (frames), walking its blocks. */
function gifFrames(bytes) {
  assert.equal(bytes.toString('latin1', 0, 6), 'GIF89a');
  let at = 13;
  const flags = bytes[10];
  if (flags & 0x80) at += 3 * (1 << ((flags & 7) + 1));
  const skipSubBlocks = () => { while (bytes[at] !== 0) at += bytes[at] + 1; at += 1; };
  let frames = 0;
  for (;;) {
    const block = bytes[at];
    if (block === 0x3b) return frames;
    if (block === 0x21) {
      at += 2;
      skipSubBlocks();
    } else if (block === 0x2c) {
      frames += 1;
      const local = bytes[at + 9];
      at += 10;
      if (local & 0x80) at += 3 * (1 << ((local & 7) + 1));
      at += 1; // LZW minimum code size
      skipSubBlocks();
    } else {
      throw new Error(`unexpected GIF block 0x${block.toString(16)} at ${at}`);
    }
  }
}

test('exports download: full-size PNG, k-colour palettes, an animated GIF of the rounds', async ({ page, baseUrl }) => {
  const stats = await openApp(page, baseUrl, { fragment: '#sample=chelsea&k=5' });
  assert.equal(stats.k, 5);

  const png = await download(page, 'png');
  assert.match(png.name, /\.png$/);
  assert.deepEqual(pngSize(png.bytes), [stats.width, stats.height]);

  const gpl = await download(page, 'gpl');
  assert.match(gpl.name, /\.gpl$/);
  const lines = gpl.bytes.toString('utf8').split('\n');
  assert.equal(lines[0], 'GIMP Palette');
  assert.equal(lines.filter((l) => /^\s*\d+\s+\d+\s+\d+/.test(l)).length, 5, gpl.bytes.toString('utf8'));

  const json = JSON.parse((await download(page, 'json')).bytes.toString('utf8'));
  assert.equal(json.colours.length, 5);

  const gif = await download(page, 'gif');
  assert.match(gif.name, /\.gif$/);
  assert.ok(gifFrames(gif.bytes) > 1, 'the GIF has more than one frame');
});
