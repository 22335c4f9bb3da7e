// Soak: 100 drops of different photos in one page. The photos are the built-in samples and
// scikit-learn's two, each drop a different copy made in the page with a canvas (resized, hue
// turned, mirrored, PNG or JPEG). Every drop must be clustered without an error, and wasm memory
// must stay within a bound derived from the largest image: what the page had before the first drop
// plus a generous per-pixel budget for that image. Times and memory are printed, never asserted.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test, openApp } from './harness.mjs';

const DROPS = 100;
const SKLEARN = '/usr/lib/python3/dist-packages/sklearn/datasets/images';
const SAMPLES = ['coffee.png', 'chelsea.png', 'astronaut.png', 'rocket.jpg', 'hubble_deep_field.jpg'];
// Longest side of the copies: small enough that 100 drops take a minute or two here.
const MIN_SIDE = 120;
const MAX_SIDE = 720;
// Memory the app may need per pixel of the largest image, all buffers at once: the file, the
// decoded RGBA twice (decoder and image), display copies, features (up to 5 floats), labels,
// distances, the clustered render, the replay's labels and the colour cloud. About 80 bytes;
// twice that as the budget.
const BYTES_PER_PIXEL = 160;
// Emscripten grows memory by 20% steps (at most 96 MB) beyond what is asked.
const GROWTH_SLACK = 1.25;

async function soak({ page, baseUrl }) {
  await openApp(page, baseUrl);
  const sklearn = ['china.jpg', 'flower.jpg'].map((f) => fs.readFileSync(`${SKLEARN}/${f}`).toString('base64'));
  // Set up once: the base photos as bitmaps, and window.__soakDrop(i), which drops copy i and
  // resolves once it is clustered (or failed).
  await page.evaluate(async ({ samples, sklearn, minSide, maxSide }) => {
    const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const bases = [];
    for (const file of samples) {
      const response = await fetch(`samples/${file}`);
      bases.push({ name: file.replace(/\..*/, ''), bitmap: await createImageBitmap(await response.blob()) });
    }
    for (const [i, base64] of sklearn.entries()) {
      const binary = atob(base64);
      const bytes = new Uint8Array(binary.length);
      for (let j = 0; j < binary.length; j += 1) bytes[j] = binary.charCodeAt(j);
      bases.push({ name: i ? 'flower' : 'china', bitmap: await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' })) });
    }

    // Copy i: its own base photo, size, hue, mirroring and format.
    async function copy(i) {
      const base = bases[i % bases.length];
      const longest = minSide + ((i * 173) % (maxSide - minSide + 1));
      const scale = longest / Math.max(base.bitmap.width, base.bitmap.height);
      const width = Math.max(1, Math.round(base.bitmap.width * scale));
      const height = Math.max(1, Math.round(base.bitmap.height * scale));
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext('2d');
      context.filter = `hue-rotate(${(i * 47) % 360}deg) saturate(${0.6 + (i % 5) * 0.2})`;
      if (i % 2) {
        context.translate(width, 0);
        context.scale(-1, 1);
      }
      context.drawImage(base.bitmap, 0, 0, width, height);
      const type = i % 3 ? 'image/jpeg' : 'image/png';
      const blob = await canvas.convertToBlob({ type, quality: 0.9 });
      const name = `soak-${String(i).padStart(3, '0')}-${base.name}.${type === 'image/png' ? 'png' : 'jpg'}`;
      return { file: new File([blob], name, { type }), width, height };
    }

    const canvas = document.getElementById('canvas');
    window.__soakDrop = async (i) => {
      const { file, width, height } = await copy(i);
      const opens = window.kpix.opens;
      const t0 = performance.now();
      const data = new DataTransfer();
      data.items.add(file);
      for (const type of ['dragenter', 'dragover', 'drop']) {
        canvas.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
      }
      while (window.kpix.opens === opens) await nextFrame();
      let stats = window.kpix.stats();
      while (stats.status !== 'done' && stats.status !== 'error') {
        await nextFrame();
        stats = window.kpix.stats();
      }
      return {
        i, name: file.name, width, height, bytes: file.size, ms: performance.now() - t0,
        memory: window.kpix.memoryBytes(), heap: window.kpix.heapBytes(), status: stats.status,
        message: stats.message || '', got: [stats.width, stats.height], k: stats.k,
      };
    };
  }, { samples: SAMPLES, sklearn, minSide: MIN_SIDE, maxSide: MAX_SIDE });

  const memoryBefore = await page.evaluate(() => window.kpix.memoryBytes());
  const heapBefore = await page.evaluate(() => window.kpix.heapBytes());
  const records = [];
  const started = Date.now();
  for (let i = 0; i < DROPS; i += 1) {
    records.push(await page.evaluate((n) => window.__soakDrop(n), i));
    if ((i + 1) % 25 === 0) console.log(`#   ${i + 1} drops in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }

  const mb = (bytes) => (bytes / 1048576).toFixed(1);
  const failures = records.filter((r) => r.status !== 'done' || r.got[0] !== r.width || r.got[1] !== r.height);
  assert.deepEqual(failures.map((r) => `${r.name}: ${r.status} ${r.message} ${r.got}`), [], 'drops that failed');
  assert.equal(records.length, DROPS);

  const largest = records.reduce((a, r) => (r.width * r.height > a.width * a.height ? r : a));
  const bound = (memoryBefore + BYTES_PER_PIXEL * largest.width * largest.height) * GROWTH_SLACK;
  const peak = Math.max(...records.map((r) => r.memory));
  const ms = records.map((r) => r.ms);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`#   ${DROPS} drops, ${records.reduce((s, r) => s + r.width * r.height, 0) / 1e6} MP in all; largest ${largest.name} ${largest.width} x ${largest.height}`);
  console.log(`#   wasm memory: ${mb(memoryBefore)} MB before, ${mb(records[0].memory)} after drop 1, ${mb(records[49].memory)} after 50, ${mb(records[DROPS - 1].memory)} after ${DROPS}; peak ${mb(peak)} MB; bound ${mb(bound)} MB`);
  console.log(`#   ms per drop (drop to clustered): median ${median(ms).toFixed(0)}, first 10 median ${median(ms.slice(0, 10)).toFixed(0)}, last 10 median ${median(ms.slice(-10)).toFixed(0)}, max ${Math.max(...ms).toFixed(0)}`);
  const perMp = records.map((r) => r.ms / (r.width * r.height / 1e6));
  console.log(`#   ms per megapixel: first 20 median ${median(perMp.slice(0, 20)).toFixed(0)}, last 20 median ${median(perMp.slice(-20)).toFixed(0)}`);
  // In use after each drop: what the open photo holds (its image, result, views) and nothing that
  // piles up; never more than the budget of the largest image over what the page held before.
  const heapPeak = Math.max(...records.map((r) => r.heap));
  const heapBound = heapBefore + BYTES_PER_PIXEL * largest.width * largest.height;
  console.log(`#   malloc'd in use: ${mb(heapBefore)} MB before, ${mb(records[49].heap)} after 50, ${mb(records[DROPS - 1].heap)} after ${DROPS}; peak ${mb(heapPeak)} MB; bound ${mb(heapBound)} MB`);
  assert.ok(heapPeak <= heapBound, `malloc'd memory in use reached ${mb(heapPeak)} MB, over ${mb(heapBound)} MB`);
  assert.ok(peak <= bound, `wasm memory reached ${mb(peak)} MB, over the ${mb(bound)} MB the largest image (${largest.width} x ${largest.height}) justifies`);
}

test('soak: 100 drops of different photos, no error, memory bounded by the largest image', soak, { timeoutMs: 420_000 });
