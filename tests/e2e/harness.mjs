// A tiny runner for kpix's browser tests: serves the web build with scripts/serve.py, drives
// Debian's Chromium through playwright-core, and fails a test on console errors, page errors or
// any request leaving the page's origin. Helpers synthesise drops and pastes carrying real files.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const WWW = path.resolve(ROOT, process.env.KPIX_WWW || 'build/wasm/www');
const ARTIFACTS = path.resolve(ROOT, process.env.KPIX_ARTIFACTS || 'build/e2e-artifacts');
const CHROMIUM = process.env.KPIX_CHROMIUM || '/usr/bin/chromium';
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const DEFAULT_TIMEOUT_MS = 120_000;

// The flags TOOLCHAIN.md lists for headless Chromium as root with WebGL2 on SwiftShader.
// NOTE: playwright-core refuses --user-data-dir in args; chromium.launch() itself passes a fresh
// --user-data-dir=/tmp/playwright_chromiumdev_profile-* and deletes it on close.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const MIME_BY_EXTENSION = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif',
  '.bmp': 'image/bmp', '.webp': 'image/webp', '.tif': 'image/tiff', '.tiff': 'image/tiff',
  '.txt': 'text/plain', '.pdf': 'application/pdf',
};

// ---- Registration -------------------------------------------------------------------------------

const tests = [];

/**
 * Registers a browser test. `fn` gets { page, context, baseUrl, artifacts, consoleErrors, requests,
 * workerRequests, stopServer }: the URLs the page requested, those the service worker requested
 * itself (its precaching), and stopServer() stops the server of this test's page (the network is
 * gone). Requests to another origin fail the test whoever makes them.
 * options: timeoutMs (default 120 s), allowConsoleErrors (true, or an array of RegExp to forgive),
 * isolation (default true; false serves the page without COOP/COEP headers), www (a function
 * returning the folder to serve instead of the web build, for a test that changes the files).
 */
export function test(name, fn, options = {}) {
  tests.push({ name, fn, options });
}

// ---- Page helpers -------------------------------------------------------------------------------

/** Polls window.kpix.stats() until its status is `status`; returns the stats. */
export async function waitForStatus(page, status, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = null;
  for (;;) {
    last = await page.evaluate(() => (window.kpix && window.kpix.ready ? window.kpix.stats() : null));
    if (last && last.status === status) return last;
    if (Date.now() > deadline) {
      throw new Error(`status did not become "${status}" within ${timeoutMs} ms; last stats: ${JSON.stringify(last)}`);
    }
    await page.waitForTimeout(100);
  }
}

/** Waits until window.kpix.ready is true (the wasm runtime is initialised). */
/**
 * Waits until the app has drawn `n` more frames. The app polls the mouse once per frame, so a
 * press or a release sent within one slow (software GL) frame of a move lands where the mouse
 * ends up: drags wait a frame between their steps.
 */
export async function nextFrames(page, n = 2) {
  await page.evaluate((count) => new Promise((resolve) => {
    let left = count + 1;
    const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
    requestAnimationFrame(tick);
  }), n);
}

/** Drags with the left button from (x0, y0) to (x1, y1), a frame apart at each step. */
export async function drag(page, x0, y0, x1, y1) {
  await page.mouse.move(x0, y0);
  await nextFrames(page);
  await page.mouse.down();
  await nextFrames(page);
  await page.mouse.move(x1, y1, { steps: 8 });
  await nextFrames(page);
  await page.mouse.up();
  await nextFrames(page);
}

export async function waitForReady(page, timeoutMs = 60_000) {
  await page.waitForFunction(() => window.kpix && window.kpix.ready === true, null, { timeout: timeoutMs });
}

/**
 * Loads the page (optionally with a URL fragment) and waits for the runtime and, unless
 * settle is false, for the sample the page opens on to be clustered; returns the stats then.
 */
export async function openApp(page, baseUrl, { timeoutMs = 60_000, fragment = '', settle = true } = {}) {
  await page.goto(baseUrl + fragment, { waitUntil: 'load' });
  await waitForReady(page, timeoutMs);
  return settle ? waitForStatus(page, 'done', timeoutMs) : null;
}

/**
 * A file to transfer: a path on disk, or { name, bytes (Buffer/Uint8Array), type }.
 * The MIME type defaults from the extension, as a browser would set it.
 */
function loadFile(file) {
  if (file.text !== undefined) return { text: String(file.text) };
  if (typeof file === 'string') {
    const bytes = fs.readFileSync(file);
    return { name: path.basename(file), bytes, type: MIME_BY_EXTENSION[path.extname(file).toLowerCase()] || '' };
  }
  const name = file.name;
  const type = file.type !== undefined ? file.type : MIME_BY_EXTENSION[path.extname(name).toLowerCase()] || '';
  return { name, bytes: Buffer.from(file.bytes), type };
}

// Dispatches the transfer inside the page, then waits for the page to hand the bytes to wasm
// (window.kpix.opens increments) unless told not to (text, refused files).
async function transfer(page, kind, file, { target = '#canvas', waitForOpen = true, timeoutMs = 10_000 } = {}) {
  const payload = loadFile(file);
  const before = await page.evaluate(() => window.kpix.opens);
  await page.evaluate(({ kind, target, payload }) => {
    const data = new DataTransfer();
    if (payload.text !== undefined) {
      data.setData('text/plain', payload.text);
    } else {
      const binary = atob(payload.base64);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
      data.items.add(new File([bytes], payload.name, { type: payload.type }));
    }
    const element = document.querySelector(target);
    if (kind === 'paste') {
      element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      return;
    }
    const rect = element.getBoundingClientRect();
    const at = { clientX: rect.left + rect.width / 2, clientY: rect.top + rect.height / 2 };
    for (const type of ['dragenter', 'dragover', 'drop']) {
      element.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true, ...at }));
    }
  }, {
    kind,
    target,
    payload: payload.text !== undefined ? payload
      : { name: payload.name, type: payload.type, base64: payload.bytes.toString('base64') },
  });
  if (waitForOpen) {
    await page.waitForFunction((n) => window.kpix.opens > n, before, { timeout: timeoutMs });
  }
}

/** Drops a file (path or { name, bytes, type }) on the canvas as a real DataTransfer drop. */
export async function dropFile(page, file, options = {}) {
  await transfer(page, 'drop', file, options);
}

/** Pastes a file (path or { name, bytes, type }) through a ClipboardEvent carrying it. */
export async function pasteFile(page, file, options = {}) {
  await transfer(page, 'paste', file, options);
}

/** Pastes plain text (no file), which the page must refuse with a readable message. */
export async function pasteText(page, text, options = {}) {
  await transfer(page, 'paste', { text }, { waitForOpen: false, ...options });
}

/** Drops plain text (no file), which the page must refuse with a readable message. */
export async function dropText(page, text, options = {}) {
  await transfer(page, 'drop', { text }, { waitForOpen: false, ...options });
}

// ---- Server -------------------------------------------------------------------------------------

/** Serves dir with scripts/serve.py on a free port: { child, url } (the benches use it too). */
export function startServer(dir, isolation = true) {
  const args = [path.join(ROOT, 'scripts', 'serve.py'), dir, '--port', '0', '--host', '127.0.0.1'];
  if (!isolation) args.push('--no-isolation');
  const child = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error(`serve.py did not start: ${err || out}`)); }, 15_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /at (http:\/\/\S+\/)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.stderr.on('data', (chunk) => { err += chunk; });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.py exited with ${code}: ${err.trim()}`));
    });
  });
}

// ---- Running ------------------------------------------------------------------------------------

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

// One line, without Playwright's appended browser logs, short enough to read.
function oneLine(text, limit = 500) {
  const line = String(text).split(/\s*Browser logs:/)[0].replace(/\s+/g, ' ').trim();
  return line.length > limit ? `${line.slice(0, limit)}...` : line;
}

function withTimeout(promise, ms, what) {
  let timer = null;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs every registered test (optionally only those whose name contains `filter`). */
export async function run({ filter = '' } = {}) {
  const selected = tests.filter((t) => t.name.includes(filter));
  if (selected.length === 0) {
    // A filter that matches nothing ran nothing: that is a failed run, not "0 passed, 0 failed".
    console.log(`not ok - harness: no test name contains ${JSON.stringify(filter)}`);
    console.log('0 passed, 1 failed');
    return false;
  }
  const servers = {};
  let browser = null;
  let passed = 0;
  let failed = 0;
  let interrupted = false;

  const cleanup = async () => {
    if (browser) await browser.close().catch(() => {});
    browser = null;
    for (const server of Object.values(servers)) server.child.kill();
  };
  // Ctrl-C or a kill: close Chromium and the server before leaving.
  const onSignal = (signal) => {
    interrupted = true;
    console.log(`# interrupted by ${signal}`);
    cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => { for (const server of Object.values(servers)) server.child.kill(); });

  try {
    if (!fs.existsSync(path.join(WWW, 'index.html'))) {
      throw new Error(`no web build at ${WWW} (build it, or set KPIX_WWW)`);
    }
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });

    for (const t of selected) {
      const isolation = t.options.isolation !== false;
      let key = isolation ? 'isolated' : 'plain';
      const started = Date.now();
      let context = null;
      let page = null;
      const consoleErrors = [];
      const requests = [];
      const workerRequests = [];
      const problems = [];
      try {
        const www = t.options.www ? await t.options.www() : WWW;
        if (t.options.www) key = `${key} ${www}`;
        servers[key] = servers[key] || await startServer(www, isolation);
        const baseUrl = servers[key].url;
        const stopServer = async () => {
          const { child } = servers[key];
          delete servers[key];
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill();
          await exited;
        };
        const origin = new URL(baseUrl).origin;
        context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
        const foreign = [];
        context.on('request', (request) => {
          const url = request.url();
          (request.serviceWorker() ? workerRequests : requests).push(url);
          if (/^(data|blob):/.test(url)) return;
          if (new URL(url).origin !== origin) foreign.push(url);
        });
        page = await context.newPage();
        page.on('console', (message) => {
          if (message.type() !== 'error') return;
          const where = message.location() && message.location().url ? ` (${message.location().url})` : '';
          consoleErrors.push(`${message.text()}${where}`);
        });
        page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
        page.on('crash', () => problems.push('page crashed'));

        const artifacts = {
          dir: ARTIFACTS,
          path: (name) => path.join(ARTIFACTS, `${slug(t.name)}-${name}`),
          /** Saves a PNG of the page; returns its bytes. */
          screenshot: async (name, target = page) => {
            const file = artifacts.path(name.endsWith('.png') ? name : `${name}.png`);
            return target.screenshot({ path: file });
          },
        };

        await withTimeout(
          t.fn({ page, context, baseUrl, artifacts, consoleErrors, requests, workerRequests, stopServer }),
          t.options.timeoutMs || DEFAULT_TIMEOUT_MS,
          'test',
        );

        if (foreign.length) {
          const more = foreign.length > 3 ? ` and ${foreign.length - 3} more` : '';
          problems.push(`request to another origin: ${foreign.slice(0, 3).join(', ')}${more}`);
        }
        const allowed = t.options.allowConsoleErrors;
        const unexpected = allowed === true ? []
          : consoleErrors.filter((e) => !(Array.isArray(allowed) && allowed.some((re) => re.test(e))));
        if (unexpected.length) problems.push(`console error: ${unexpected.join(' | ')}`);
        if (problems.length) throw Object.assign(new Error(problems.join('; ')), { fromHarness: true });

        passed += 1;
        console.log(`ok - ${t.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (error) {
        if (interrupted) break;
        failed += 1;
        const reasons = [error.message, ...problems.filter((p) => !error.message.includes(p))];
        console.log(`not ok - ${t.name}: ${oneLine(reasons.join('; '))}`);
        if (page && !page.isClosed()) {
          const shot = path.join(ARTIFACTS, `${slug(t.name)}-failure.png`);
          await withTimeout(page.screenshot({ path: shot }), 15_000, 'failure screenshot')
            .then(() => console.error(`#   screenshot: ${shot}`))
            .catch(() => {});
        }
        for (const line of consoleErrors) console.error(`#   console error: ${oneLine(line)}`);
        if (error.stack && !error.fromHarness) console.error(error.stack.split('\n').slice(1, 4).map((l) => `#  ${l}`).join('\n'));
      } finally {
        if (context) await context.close().catch(() => {});
      }
    }
  } catch (error) {
    if (interrupted) return false;
    failed += 1;
    console.log(`not ok - harness: ${oneLine(error.message)}`);
  } finally {
    await cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  if (interrupted) return false;
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0;
}
