// Browser tests of what people drop: a WebP (made by Chromium's own encoder here) and every WebP and
// TIFF fixture are decoded by the wasm's libwebp/libtiff and clustered, upright; an AVIF (tests/fixtures/formats) by the browser's decoder; each HEIC
// fixture by the page's HEIC decoder module (st/kpix_heif.js in a Worker, fetched only then),
// upright and clustered, and a cut-short one gets a message naming HEIC; bad files each get a
// readable message and leave the app working for the next drop.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test, openApp, waitForStatus, dropFile } from './harness.mjs';

const CHINA = '/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg';
const AVIF = new URL('../fixtures/formats/plain.avif', import.meta.url).pathname;
const FORMATS = new URL('../fixtures/formats/', import.meta.url).pathname;
// Each HEIC fixture and its upright size (rotated.heic is stored 36 x 48 with an irot; grid.heic is
// 2 x 2 tiles of 64 x 64 cropped to 96 x 72; the P3 ones are flower_p3.png, 64 x 43).
const HEICS = [['plain.heic', 48, 36], ['rotated.heic', 48, 36], ['grid.heic', 96, 72],
  ['p3_icc.heic', 64, 43], ['p3_nclx.heic', 64, 43]];
// Every WebP and TIFF fixture (a 48 x 36 crop of chelsea.png; orient6.tif is stored sideways with
// orientation 6), decoded by the page's wasm (libwebp, libtiff).
const WASM_FORMATS = ['lossy.webp', 'lossless_alpha.webp', 'animated.webp', 'rgb8.tif', 'rgb8_lzw.tif',
  'rgb8_deflate.tif', 'rgb16.tif', 'rgb16_lzw.tif', 'grey8.tif', 'grey16_deflate.tif', 'grey_alpha8.tif',
  'rgba8_lzw.tif', 'orient6.tif'].map((name) => [name, 48, 36]);

// Four flat blocks, known colours: k = 4 must find them.
const BLOCKS = [[200, 40, 40], [40, 160, 60], [40, 70, 200], [230, 220, 90]];

/** Encodes the four blocks (width x height) in the page with canvas.toBlob(type); returns bytes. */
async function encodeBlocks(page, type, width, height) {
  const base64 = await page.evaluate(async ({ type, width, height, blocks }) => {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    blocks.forEach(([r, g, b], i) => {
      context.fillStyle = `rgb(${r}, ${g}, ${b})`;
      context.fillRect((i % 2) * (width / 2), Math.floor(i / 2) * (height / 2), width / 2, height / 2);
    });
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, type, 0.95));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    return btoa(binary);
  }, { type, width, height, blocks: BLOCKS });
  return Buffer.from(base64, 'base64');
}

async function webpDrop({ page, baseUrl, artifacts }) {
  await openApp(page, baseUrl, { fragment: '#k=4' });
  const webp = await encodeBlocks(page, 'image/webp', 240, 160);
  // canvas.toBlob falls back to PNG for a type it cannot encode: make sure this really is WebP.
  assert.equal(webp.toString('latin1', 0, 4), 'RIFF');
  assert.equal(webp.toString('latin1', 8, 12), 'WEBP');
  fs.writeFileSync(artifacts.path('blocks.webp'), webp);

  await dropFile(page, { name: 'blocks.webp', bytes: webp });
  const stats = await waitForStatus(page, 'done', 60_000);
  assert.deepEqual([stats.width, stats.height, stats.k], [240, 160, 4]);
  // Each block's colour is one cluster, a quarter of the pixels (lossy WebP: a few levels off).
  for (const [r, g, b] of BLOCKS) {
    const near = stats.palette.find(([pr, pg, pb]) => Math.hypot(pr - r, pg - g, pb - b) <= 8);
    assert.ok(near, `block colour ${[r, g, b]} not in the palette ${JSON.stringify(stats.palette)}`);
    assert.ok(Math.abs(near[3] - 0.25) < 0.02, `share of ${[r, g, b]} is ${near[3]}`);
  }
  await page.waitForTimeout(300);
  await artifacts.screenshot('webp');

  // A file claiming to be WebP that is not: libwebp refuses it, with a message naming it.
  const broken = Buffer.concat([webp.subarray(0, 40), Buffer.alloc(60, 0x55)]);
  await dropFile(page, { name: 'broken.webp', bytes: broken });
  const refused = await waitForStatus(page, 'error', 20_000);
  assert.match(refused.message, /webp/i);

  // AVIF: the browser's decoder (the wasm has no AV1 decoder); the photo is 48 x 36.
  await dropFile(page, { name: 'plain.avif', bytes: fs.readFileSync(AVIF) });
  const avif = await waitForStatus(page, 'done', 60_000);
  assert.deepEqual([avif.width, avif.height], [48, 36]);
  await page.waitForTimeout(300);
  await artifacts.screenshot('avif');

  await dropFile(page, CHINA);
  assert.deepEqual((({ width, height }) => [width, height])(await waitForStatus(page, 'done', 60_000)), [640, 427]);
}

test('WebP (wasm) and AVIF (browser) dropped on the page', webpDrop);
test('WebP (wasm) and AVIF (browser) dropped on the page (single-threaded)', webpDrop, { isolation: false });

/** Drops each fixture (name, upright width, height) in turn: each opens at that size, clustered at
 * k = 4, and leaves a screenshot. The first drop of a HEIC loads the module too: generous time. */
async function dropEach(page, artifacts, fixtures) {
  for (const [name, width, height] of fixtures) {
    await dropFile(page, path.join(FORMATS, name), { timeoutMs: 60_000 });
    const stats = await waitForStatus(page, 'done', 60_000);
    assert.deepEqual([stats.width, stats.height, stats.k], [width, height, 4], name);
    assert.equal(stats.palette.length, 4, name);
    await page.waitForTimeout(300);
    await artifacts.screenshot(name.replace('.', '-'));
  }
}

test('every WebP and TIFF fixture dropped on the page: decoded by the wasm, upright, clustered',
  async ({ page, baseUrl, artifacts }) => {
    await openApp(page, baseUrl, { fragment: '#k=4' });
    await dropEach(page, artifacts, WASM_FORMATS);
  });

async function heicDrop({ page, baseUrl, artifacts, requests }) {
  await openApp(page, baseUrl, { fragment: '#k=4' });
  // The first paint did not wait for the decoder module: nothing of it was fetched yet.
  assert.ok(!requests.some((url) => /kpix_heif/.test(url)), `fetched before a HEIC: ${requests.join(', ')}`);

  // Upright: rotated.heic is stored 36 x 48 and comes out 48 x 36 (its irot applied).
  await dropEach(page, artifacts, HEICS);
  // A cut-short HEIC: the module's message names the format; nothing opened, the app still works.
  const grid = fs.readFileSync(path.join(FORMATS, 'grid.heic'));
  const opensBefore = await page.evaluate(() => window.kpix.opens);
  await dropFile(page, { name: 'cut.heic', bytes: grid.subarray(0, grid.length >> 1) }, { waitForOpen: false });
  await page.waitForFunction(() => /could not decode this HEIC image/.test(document.getElementById('kpix-status').textContent),
    null, { timeout: 30_000 });
  const message = await page.evaluate(() => document.getElementById('kpix-status').textContent);
  console.log(`#   cut.heic: ${message}`);
  assert.match(message, /heic/i);
  assert.equal(await page.evaluate(() => window.kpix.opens), opensBefore, 'nothing handed to wasm');
  await artifacts.screenshot('heic-cut-short');

  await dropFile(page, CHINA);
  assert.deepEqual((({ width, height }) => [width, height])(await waitForStatus(page, 'done', 60_000)), [640, 427]);
  await dropFile(page, path.join(FORMATS, 'rotated.heic'), { timeoutMs: 30_000 });
  assert.deepEqual((({ width, height }) => [width, height])(await waitForStatus(page, 'done', 60_000)), [48, 36]);
}

test('each HEIC fixture dropped on the page: decoded by the HEIC module, upright, clustered', heicDrop);
test('each HEIC fixture dropped on the page: decoded by the HEIC module, upright, clustered (single-threaded)',
  heicDrop, { isolation: false });

// ---- Bad input --------------------------------------------------------------------------------

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let i = 0; i < 8; i += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A well-formed PNG header (signature, IHDR with a valid CRC) claiming width x height RGBA. */
function pngClaiming(width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function randomBytes(n, seed) {
  const out = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i += 1) { x = (x * 1664525 + 1013904223) >>> 0; out[i] = x >>> 24; }
  return out;
}

test('bad files each get a readable message and the next drop works', async ({ page, baseUrl }) => {
  await openApp(page, baseUrl);
  const china = fs.readFileSync(CHINA);
  const cases = [
    { name: 'empty.jpg', bytes: Buffer.alloc(0), message: /./ },
    { name: 'truncated.jpg', bytes: china.subarray(0, 2000), message: /jpeg|damaged|could not be read/i },
    { name: 'noise.png', bytes: randomBytes(10_000, 7), message: /could not be read|not an image|not a picture|damaged|unknown type|not of any known/i },
    { name: 'huge.png', bytes: pngClaiming(65535, 65535), message: /65535 x 65535|megapixel|too large/i },
    // A text file renamed: the browser calls it image/png by its name, the decoder reads the bytes.
    { name: 'readme.png', bytes: Buffer.from('# Notes\n\nThis is plain text, not a picture.\n'), message: /could not be read|not an image|not a picture|unknown type|not of any known/i },
  ];
  for (const c of cases) {
    await dropFile(page, { name: c.name, bytes: c.bytes, type: 'image/png' });
    const stats = await waitForStatus(page, 'error', 20_000);
    assert.ok(stats.message && stats.message.trim().length > 10, `${c.name}: message ${JSON.stringify(stats.message)}`);
    assert.match(stats.message, c.message, `${c.name}: message ${JSON.stringify(stats.message)}`);
    console.log(`#   ${c.name}: ${stats.message}`);
    await dropFile(page, CHINA);
    const good = await waitForStatus(page, 'done', 60_000);
    assert.deepEqual([good.width, good.height], [640, 427], `the drop after ${c.name}`);
  }
});
