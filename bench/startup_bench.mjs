// The page's start-up in headless Chromium, printed, never asserted: from navigation to the first
// paint, to the app ready (kpix.ready) and to its sample clustered (status "done"); the size of the
// page's wasm and JS (raw and gzip-compressed); and, where a build has the HEIC decoder module
// (st/kpix_heif.js), the time from dropping a HEIC to its result, the first drop (the module
// fetched and compiled) and a second one. Each run is a fresh browser.
//
//   node bench/startup_bench.mjs [--runs N] [--heic FILE] WWW [WWW...]
//
// Several web builds (e.g. main's and this tree's) run alternated, run by run, so load and noise
// fall on each alike; the first is the peer the ratios are against.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, ROOT, startServer } from '../tests/e2e/harness.mjs';
import { load, median, spread } from './figures.mjs';

const args = process.argv.slice(2);
let runs = 3;
let heic = path.join(ROOT, 'tests', 'fixtures', 'formats', 'grid.heic');
const builds = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--heic') heic = args[++i];
  else builds.push(path.resolve(args[i]));
}
if (builds.length === 0 || !(runs >= 1)) {
  console.error('usage: node bench/startup_bench.mjs [--runs N] [--heic FILE] WWW [WWW...]');
  process.exit(2);
}



/** Raw and gzip sizes (kB) of the page's files that matter for start-up, and of the HEIC module. */
function sizes(www) {
  const kb = (files) => {
    let raw = 0;
    let gz = 0;
    for (const f of files.map((name) => path.join(www, name)).filter((f) => fs.existsSync(f))) {
      const bytes = fs.readFileSync(f);
      raw += bytes.length;
      gz += zlib.gzipSync(bytes, { level: 9 }).length;
    }
    return `${(raw / 1024).toFixed(0)} kB (gzip ${(gz / 1024).toFixed(0)} kB)`;
  };
  return {
    page: kb(['kpix.wasm', 'kpix.js', 'kpix.worker.js', 'web/kpix_page.js', 'index.html']),
    st: kb(['st/kpix.wasm', 'st/kpix.js']),
    heif: fs.existsSync(path.join(www, 'st', 'kpix_heif.wasm'))
      ? kb(['st/kpix_heif.wasm', 'st/kpix_heif.js', 'web/kpix_heif_worker.js']) : null,
  };
}

/** Drops bytes as a file on the canvas and resolves with the seconds to the result (or rejects). */
async function dropTime(page, bytes, name) {
  return page.evaluate(async ({ base64, name }) => {
    const binary = atob(base64);
    const data = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) data[i] = binary.charCodeAt(i);
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], name, { type: '' }));
    const canvas = document.querySelector('#canvas');
    const opened = window.kpix.opens;
    const t0 = performance.now();
    for (const type of ['dragenter', 'dragover', 'drop']) {
      canvas.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
    return new Promise((resolve, reject) => {
      const poll = () => {
        const s = window.kpix.stats();
        if (window.kpix.opens > opened && s.status === 'done') resolve((performance.now() - t0) / 1000);
        else if (window.kpix.opens > opened && s.status === 'error') reject(new Error(s.message));
        else if (performance.now() - t0 > 120_000) reject(new Error('no result in 120 s'));
        else requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
    });
  }, { base64: bytes.toString('base64'), name });
}

async function once(www, heicBytes) {
  const server = await startServer(www);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
    const loadBefore = load();
    await page.goto(server.url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.kpix && window.kpix.ready, null, { timeout: 120_000 });
    const ready = await page.evaluate(() => performance.now() / 1000);
    await page.waitForFunction(() => window.kpix.stats().status === 'done', null, { timeout: 120_000 });
    const done = await page.evaluate(() => performance.now() / 1000);
    const paint = await page.evaluate(() => {
      const entry = performance.getEntriesByType('paint').find((e) => e.name === 'first-paint');
      return entry ? entry.startTime / 1000 : NaN;
    });
    const result = { paint, ready, done, load: `${loadBefore} / ${load()}` };
    if (fs.existsSync(path.join(www, 'st', 'kpix_heif.js'))) {
      result.heicFirst = await dropTime(page, heicBytes, path.basename(heic));
      result.heicAgain = await dropTime(page, heicBytes, path.basename(heic));
    }
    return result;
  } finally {
    await browser.close().catch(() => {});
    server.child.kill();
  }
}

const heicBytes = fs.readFileSync(heic);
console.log(`startup_bench: ${runs} alternated runs per build, load ${load()}`);
for (const www of builds) {
  const s = sizes(www);
  console.log(`  ${www}: page ${s.page}; single-threaded ${s.st}; HEIC module ${s.heif || 'none'}`);
}
const results = builds.map(() => []);
for (let r = 0; r < runs; r += 1) {
  for (let b = 0; b < builds.length; b += 1) {
    const x = await once(builds[b], heicBytes);
    results[b].push(x);
    const heicText = x.heicFirst === undefined ? '' :
      `, ${path.basename(heic)} drop to result ${x.heicFirst.toFixed(2)} s (first), ${x.heicAgain.toFixed(2)} s (again)`;
    console.log(`  run ${r + 1} ${builds[b]}: first paint ${x.paint.toFixed(2)} s, ready ${x.ready.toFixed(2)} s, ` +
      `sample clustered ${x.done.toFixed(2)} s${heicText}, load ${x.load}`);
  }
}
console.log('');
console.log('| build | first paint s, median (range) | app ready s | sample clustered s | HEIC drop to result s, first / again |');
console.log('|---|---|---|---|---|');
for (let b = 0; b < builds.length; b += 1) {
  const xs = results[b];
  const col = (key) => `${median(xs.map((x) => x[key])).toFixed(2)} (${spread(xs.map((x) => x[key]))})`;
  const heicCol = xs[0].heicFirst === undefined ? '-' : `${col('heicFirst')} / ${col('heicAgain')}`;
  console.log(`| ${builds[b]} | ${col('paint')} | ${col('ready')} | ${col('done')} | ${heicCol} |`);
}
if (builds.length > 1) {
  const ratio = (b, key) => (median(results[b].map((x) => x[key])) / median(results[0].map((x) => x[key]))).toFixed(2);
  for (let b = 1; b < builds.length; b += 1) {
    console.log(`${builds[b]} / ${builds[0]}: first paint ${ratio(b, 'paint')}x, ready ${ratio(b, 'ready')}x, sample clustered ${ratio(b, 'done')}x`);
  }
}
console.log(`load at the end: ${load()}`);
