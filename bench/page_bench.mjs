// The page's drop-to-result times and peak memory for one photo (by default the 12 MP phone JPEG
// of bench/make_decode_photos.py), in headless Chromium, printed, never asserted. Each run is a
// fresh browser: open the page, let it cluster its sample, drop the photo, and time from the drop
// to the first result on screen (the stats' stage "first", or "done" in a build without one) and
// to the full-size result (status "done"). Memory: the renderer process's peak resident set
// (VmHWM in /proc, the wasm heap and its worker threads included), the wasm memory's size (it
// only grows, but the app's memory checks grow it by allocations they never touch, so it says
// little) and the live wasm heap (malloc's bytes in use) sampled once a frame.
//
//   node bench/page_bench.mjs [--runs N] [--photo FILE] WWW [WWW...]
//
// Several web builds (e.g. main's and this tree's) run alternated, run by run, so load and noise
// fall on each alike; the first is the peer the ratios are against.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, ROOT, startServer } from '../tests/e2e/harness.mjs';
import { load, median, spread } from './figures.mjs';

const args = process.argv.slice(2);
let runs = 3;
let photo = path.join(ROOT, 'build', 'bench-photos', 'phone12mp.jpg');
const builds = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--photo') photo = args[++i];
  else builds.push(path.resolve(args[i]));
}
if (builds.length === 0 || !(runs >= 1)) {
  console.error('usage: node bench/page_bench.mjs [--runs N] [--photo FILE] WWW [WWW...]');
  process.exit(2);
}
if (!fs.existsSync(photo)) {
  console.error(`page_bench: no photo at ${photo} (bench/make_decode_photos.py DIR writes it)`);
  process.exit(2);
}



/** Peak and current resident set (MB) of the browser's renderer processes, the largest first. */
function renderers(browserPid) {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  const children = new Map();
  for (const line of out.trim().split('\n')) {
    const [pid, ppid, ...rest] = line.trim().split(/\s+/);
    children.set(Number(pid), { ppid: Number(ppid), args: rest.join(' ') });
  }
  // Descendants of the browser process that are renderers.
  const found = [];
  for (const [pid, p] of children) {
    let up = p.ppid;
    while (up && up !== browserPid && children.has(up)) up = children.get(up).ppid;
    if (up !== browserPid || !p.args.includes('--type=renderer')) continue;
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (key) => Number((new RegExp(`${key}:\\s+(\\d+)`).exec(status) || [0, 0])[1]);
      found.push({ pid, hwm: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 });
    } catch { /* gone */ }
  }
  return found.sort((a, b) => b.hwm - a.hwm);
}

async function once(www, bytes) {
  const server = await startServer(www);
  // launchServer: its process id leads to the renderer processes.
  const browserServer = await chromium.launchServer({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  const browser = await chromium.connect(browserServer.wsEndpoint());
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
    await page.goto(server.url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.kpix && window.kpix.ready && window.kpix.stats().status === 'done',
      null, { timeout: 120_000 });
    const pid = browserServer.process().pid;
    const before = renderers(pid)[0];
    const loadBefore = load();
    await page.evaluate(({ base64, name }) => {
      const binary = atob(base64);
      const data = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i += 1) data[i] = binary.charCodeAt(i);
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type: 'image/jpeg' }));
      const canvas = document.querySelector('#canvas');
      const rect = canvas.getBoundingClientRect();
      const at = { clientX: rect.left + rect.width / 2, clientY: rect.top + rect.height / 2 };
      // Each frame: the first result (stage "first"; "done" where there is no first stage) and
      // the full one. Only a stats read a frame, so the page's own frames are barely touched.
      const bench = { first: null, full: null, opened: window.kpix.opens };
      window.kpixBench = bench;
      const t0 = performance.now();
      bench.heapBefore = window.kpix.heapBytes();
      bench.heapPeak = bench.heapBefore;
      const poll = () => {
        bench.heapPeak = Math.max(bench.heapPeak, window.kpix.heapBytes());
        const s = window.kpix.stats();
        const opened = window.kpix.opens > bench.opened;
        if (opened && bench.first === null && (s.stage === 'first' || s.status === 'done')) {
          bench.first = performance.now() - t0;
          bench.firstSize = [s.width, s.height];
        }
        if (opened && s.status === 'done') {
          bench.full = performance.now() - t0;
          bench.fullSize = [s.width, s.height];
          return;
        }
        if (s.status === 'error') { bench.error = s.message; return; }
        requestAnimationFrame(poll);
      };
      for (const type of ['dragenter', 'dragover', 'drop']) {
        canvas.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true, ...at }));
      }
      requestAnimationFrame(poll);
    }, { base64: bytes.toString('base64'), name: path.basename(photo) });
    await page.waitForFunction(() => window.kpixBench.full !== null || window.kpixBench.error, null, { timeout: 300_000 });
    const bench = await page.evaluate(() => window.kpixBench);
    if (bench.error) throw new Error(bench.error);
    const wasmMb = (await page.evaluate(() => window.kpix.memoryBytes())) / 1048576;
    const after = renderers(pid);
    return {
      first: bench.first / 1000, full: bench.full / 1000, firstSize: bench.firstSize, fullSize: bench.fullSize,
      heapBefore: bench.heapBefore / 1048576, heapPeak: bench.heapPeak / 1048576, hwm: after[0].hwm, rssBefore: before.rss, renderers: after.length, wasmMb, load: `${loadBefore} / ${load()}`,
    };
  } finally {
    await browser.close().catch(() => {});
    await browserServer.close().catch(() => {});
    server.child.kill();
  }
}

const bytes = fs.readFileSync(photo);
console.log(`page_bench: ${path.basename(photo)} (${(bytes.length / 1e6).toFixed(2)} MB), ${runs} alternated runs per build, load ${load()}`);
const results = builds.map(() => []);
for (let r = 0; r < runs; r += 1) {
  for (let b = 0; b < builds.length; b += 1) {
    const x = await once(builds[b], bytes);
    results[b].push(x);
    console.log(`  run ${r + 1} ${builds[b]}: first ${x.first.toFixed(2)} s (${x.firstSize.join(' x ')}), ` +
      `full ${x.full.toFixed(2)} s (${x.fullSize.join(' x ')}), renderer peak RSS ${x.hwm.toFixed(0)} MB ` +
      `(${x.rssBefore.toFixed(0)} MB before the drop; ${x.renderers} renderer(s)), wasm memory ${x.wasmMb.toFixed(0)} MB, ` +
      `live wasm heap ${x.heapBefore.toFixed(0)} MB before, at most ${x.heapPeak.toFixed(0)} MB in a frame, ` +
      `load ${x.load}`);
  }
}
console.log('');
console.log('| build | drop to first result s, median (range) | drop to full result s | renderer peak RSS MB | wasm memory MB |');
console.log('|---|---|---|---|---|');
for (let b = 0; b < builds.length; b += 1) {
  const xs = results[b];
  const col = (key) => `${median(xs.map((x) => x[key])).toFixed(2)} (${spread(xs.map((x) => x[key]))})`;
  console.log(`| ${builds[b]} | ${col('first')} | ${col('full')} | ${col('hwm')} | ${col('wasmMb')} |`);
}
if (builds.length > 1) {
  const ratio = (b, key) => (median(results[0].map((x) => x[key])) / median(results[b].map((x) => x[key]))).toFixed(2);
  for (let b = 1; b < builds.length; b += 1) {
    console.log(`${builds[0]} / ${builds[b]}: first result ${ratio(b, 'first')}x, full result ${ratio(b, 'full')}x, peak RSS ${ratio(b, 'hwm')}x`);
  }
}
console.log(`load at the end: ${load()}`);
