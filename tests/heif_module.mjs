// The page's HEIC decoder module (st/kpix_heif.js, cmake/KpixHeifModule.cmake) under node: each HEIC
// fixture decodes to the bytes the native build gives (tests/fixtures/formats/checksums.txt: the
// rotated one upright by its irot, the grid whole, the P3 ones converted to sRGB; the module keeps
// libde265's deblocking and SAO on, which libheif's plugin would turn off, see web_heif.cpp), and a
// cut-short or corrupted HEIC gives a message naming the format, after which the module still decodes.
//   node tests/heif_module.mjs [WWW_DIR]   (default build/wasm/www; the module is in its st/)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const www = path.resolve(process.argv[2] || path.join(root, 'build/wasm/www'));
const fixtures = path.join(root, 'tests/fixtures/formats');

const KpixHeif = createRequire(import.meta.url)(path.join(www, 'st/kpix_heif.js'));
// NOTE: the wasm bytes handed over: Emscripten 3.1.6's loader would otherwise fetch() a file path
// under node 18+.
const m = await KpixHeif({ wasmBinary: fs.readFileSync(path.join(www, 'st/kpix_heif.wasm')) });

/** Decodes bytes as the page's Worker does: { width, height, rgba } or { error }. */
function decode(bytes) {
  const data = m._malloc(Math.max(bytes.length, 1)) >>> 0;
  m.HEAPU8.set(bytes, data);
  try {
    if (!m._kpix_heif_decode(data, bytes.length)) return { error: m.UTF8ToString(m._kpix_heif_error() >>> 0) };
    const width = m._kpix_heif_width();
    const height = m._kpix_heif_height();
    const pixels = m._kpix_heif_pixels() >>> 0;
    return { width, height, rgba: m.HEAPU8.slice(pixels, pixels + width * height * 4),
      notes: m.UTF8ToString(m._kpix_heif_notes() >>> 0) };
  } finally {
    m._kpix_heif_release();
    m._free(data);
  }
}

/** FNV-1a (64-bit) of the bytes, as tests/test_formats.cpp computes it, in hex. */
function fnv1a(bytes) {
  let h = 14695981039346656037n;
  for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 1099511628211n);
  return h.toString(16).padStart(16, '0');
}

let failures = 0;
function check(name, fn) {
  try {
    fn();
    console.log(`ok ${name}`);
  } catch (error) {
    failures += 1;
    console.log(`FAIL ${name}: ${error.message}`);
  }
}

const expected = fs.readFileSync(path.join(fixtures, 'checksums.txt'), 'utf8').split('\n')
  .filter((line) => line && !line.startsWith('#')).map((line) => line.split(/\s+/))
  .filter(([name]) => name.endsWith('.heic'));
assert.ok(expected.length >= 5, 'the HEIC fixtures in checksums.txt');
const sizes = { 'rotated.heic': [48, 36], 'grid.heic': [96, 72] };
for (const [name, hash] of expected) {
  check(`${name}: the pixels checksums.txt gives`, () => {
    const r = decode(fs.readFileSync(path.join(fixtures, name)));
    assert.equal(r.error, undefined, r.error);
    if (sizes[name]) assert.deepEqual([r.width, r.height], sizes[name]);
    assert.equal(fnv1a(r.rgba), hash, `${r.width} x ${r.height}, notes: ${r.notes}`);
  });
}

const grid = fs.readFileSync(path.join(fixtures, 'grid.heic'));
check('a cut-short HEIC: a message naming the format', () => {
  const r = decode(grid.subarray(0, Math.floor(grid.length / 2)));
  assert.match(r.error || '', /heic/i);
});
check('a corrupted HEIC: a message naming the format', () => {
  const bad = Buffer.from(grid);
  for (let i = 600; i < bad.length; i += 7) bad[i] ^= 0x5a;
  const r = decode(bad);
  assert.match(r.error || 'decoded', /heic/i);
});
check('after them, the module still decodes', () => {
  assert.equal(decode(grid).error, undefined);
});

console.log(failures ? `heif_module: ${failures} failed` : 'heif_module: all passed');
process.exit(failures ? 1 : 0);
