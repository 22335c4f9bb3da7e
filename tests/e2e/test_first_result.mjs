// A 12 MP phone photo dropped on the page: the first result comes from a working copy decoded at
// a reduced DCT scale and shows while the full size is decoded and clustered in the background;
// then the stats show the full size. A newer drop replaces it (the latest wins).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test, openApp, waitForStatus, dropFile, ROOT } from './harness.mjs';

const CHINA = '/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg';
const P3_FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'photo', 'flower_p3.jpg');

/** A JPEG's segments before its first scan, and the rest (markers included). */
function segments(jpeg) {
  const out = [];
  let i = 2;
  while (i + 4 <= jpeg.length && jpeg[i] === 0xff && jpeg[i + 1] !== 0xda) {
    const length = jpeg.readUInt16BE(i + 2);
    out.push(jpeg.subarray(i, i + 2 + length));
    i += 2 + length;
  }
  return { segments: out, rest: jpeg.subarray(i) };
}

const isIcc = (segment) => segment[1] === 0xe2 && segment.toString('latin1', 4, 16) === 'ICC_PROFILE\0';

/** An APP1 Exif segment holding one tag: Orientation. */
function exifOrientation(value) {
  const tiff = Buffer.alloc(26);
  tiff.write('MM\0*', 0, 'latin1');
  tiff.writeUInt32BE(8, 4); // first IFD
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(0x0112, 10); // Orientation
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(value, 18);
  tiff.writeUInt32BE(0, 22); // no next IFD
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([header, body]);
}

/**
 * A phone-like photo: 4032 x 3024 pixels stored sideways (EXIF orientation 6) with a Display P3
 * profile, made in the page from the chelsea sample (canvas JPEG at quality 0.92).
 */
async function phonePhoto(page) {
  const base64 = await page.evaluate(async () => {
    const bitmap = await createImageBitmap(await (await fetch('samples/chelsea.png')).blob());
    const canvas = new OffscreenCanvas(4032, 3024);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, 4032, 3024);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 })).arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  });
  const canvasJpeg = segments(Buffer.from(base64, 'base64'));
  const icc = segments(fs.readFileSync(P3_FIXTURE)).segments.filter(isIcc);
  assert.ok(icc.length > 0, 'the P3 fixture carries an ICC profile');
  // After SOI: Exif, the P3 profile, then the canvas's own segments but its profile (sRGB).
  const own = canvasJpeg.segments.filter((segment) => !isIcc(segment));
  return Buffer.concat([Buffer.from([0xff, 0xd8]), exifOrientation(6), ...icc, ...own, canvasJpeg.rest]);
}

/** Polls the stats until `predicate` holds for them; returns them. */
async function waitForStats(page, predicate, what, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let last = null;
  for (;;) {
    last = await page.evaluate(() => window.kpix.stats());
    if (predicate(last)) return last;
    if (last.status === 'error') throw new Error(`error while waiting for ${what}: ${last.message}`);
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms; last stats: ${JSON.stringify(last)}`);
    await page.waitForTimeout(50);
  }
}

async function firstThenFull({ page, baseUrl, artifacts }) {
  await openApp(page, baseUrl);
  const photo = await phonePhoto(page);
  console.log(`#   ${photo.length} bytes of JPEG for 4032 x 3024 pixels (orientation 6, Display P3)`);

  await dropFile(page, { name: 'phone.jpg', bytes: photo });
  const first = await waitForStats(page, (s) => s.stage === 'first', 'first result');
  console.log(`#   first result: ${first.width} x ${first.height}, status ${first.status}`);
  assert.equal(first.full_width, 3024, 'the full size, upright, is known from the start');
  assert.equal(first.full_height, 4032);
  assert.ok(first.width * first.height <= first.work_pixels, `the first result is of the working copy: ${first.width} x ${first.height}`);
  assert.ok(first.width < first.height, 'the working copy is upright');
  assert.equal(first.orientation, 6);
  assert.notEqual(first.icc_profile, '', 'the working copy is converted from its profile');
  assert.ok(['running', 'done'].includes(first.status));
  assert.equal(first.palette.length, first.k);
  await artifacts.screenshot('first');

  const done = await waitForStatus(page, 'done', 240_000);
  assert.equal(done.stage, 'full');
  assert.deepEqual([done.width, done.height], [3024, 4032]);
  assert.deepEqual([done.full_width, done.full_height], [3024, 4032]);
  assert.match(done.note, /clustered on a \d+ x \d+ copy, labels applied to all 3024 x 4032 pixels/);
  assert.equal(done.k, first.k);
  await page.waitForFunction(() => window.kpix.stats().shown === true, null, { timeout: 60_000 });
  await artifacts.screenshot('full');

  // The latest drop wins: a small photo dropped while the big one's full size is on its way.
  await dropFile(page, { name: 'phone.jpg', bytes: photo });
  await waitForStats(page, (s) => s.stage === 'first', 'second first result');
  await dropFile(page, CHINA);
  const china = await waitForStatus(page, 'done', 120_000);
  assert.deepEqual([china.width, china.height, china.stage], [640, 427, 'full']);
  // Frames go on; whatever the cancelled job had left never replaces it.
  await page.waitForFunction(() => window.kpix.stats().shown === true, null, { timeout: 60_000 });
  const after = await page.evaluate(() => window.kpix.stats());
  assert.deepEqual([after.width, after.height, after.status], [640, 427, 'done']);
}

test('a 12 MP phone JPEG shows a first result from a scaled decode, then the full size', firstThenFull,
  { timeoutMs: 480_000 });
// Without threads each stage runs between frames: the first result is drawn before the full
// decode starts.
test('a 12 MP phone JPEG shows a first result, then the full size (single-threaded)', firstThenFull,
  { timeoutMs: 480_000, isolation: false });
