// Browser tests of what a screen reader hears and of clear failures: the live regions read the
// result, the round stepped to and refused files; the canvas is named and described; a browser
// without WebAssembly SIMD, or one where the app's WebGL2 context fails, gets a plain message
// on a page that is not blank; shortcuts follow the key's label on non-US layouts.

import assert from 'node:assert/strict';
import { test, openApp, waitForStatus, dropFile, dropText, nextFrames } from './harness.mjs';

const CHINA = '/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg';

/** The text of the live regions and the hidden description, trimmed. */
function spoken(page) {
  return page.evaluate(() => {
    const text = (id) => document.getElementById(id).textContent.trim();
    return { live: text('kpix-live'), alert: text('kpix-alert'), result: text('kpix-result') };
  });
}

/** Waits until region `id`'s text matches `pattern` (a RegExp); returns the text. */
async function waitForSpoken(page, id, pattern, timeout = 60_000) {
  await page.waitForFunction(({ id, source }) => new RegExp(source).test(document.getElementById(id).textContent),
    { id, source: pattern.source }, { timeout });
  return (await spoken(page))[id === 'kpix-live' ? 'live' : id === 'kpix-alert' ? 'alert' : 'result'];
}

const hex = ([r, g, b]) => `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;

async function liveRegion({ page, baseUrl }) {
  const stats = await openApp(page, baseUrl);
  const canvas = await page.evaluate(() => {
    const c = document.getElementById('canvas');
    const attribute = (name) => c.getAttribute(name);
    return { role: attribute('role'), label: attribute('aria-label'), describedby: attribute('aria-describedby') };
  });
  assert.equal(canvas.role, 'application');
  assert.match(canvas.label, /^kpix, k-means colour clustering/);
  assert.equal(canvas.describedby, 'kpix-result');
  const regions = await page.evaluate(() => ['kpix-live', 'kpix-alert'].map((id) => {
    const box = document.getElementById(id);
    return [box.getAttribute('aria-live'), box.getBoundingClientRect().width];
  }));
  assert.deepEqual(regions, [['polite', 1], ['assertive', 1]], 'two live regions, visually hidden');

  // The sample's result: k, rounds, inertia and the largest colours; the description has every
  // colour with its share, in the palette's order.
  const line = await waitForSpoken(page, 'kpix-live', /^coffee: \d+ colours after/);
  const expected = `^coffee: ${stats.k} colours after ${stats.iterations} rounds, inertia ${Math.round(stats.inertia)}\\. `
    + `Largest shares: ${hex(stats.palette[0])} \\d+ %`;
  assert.match(line, new RegExp(expected));
  const { result } = await spoken(page);
  const listed = [...result.matchAll(/(#[0-9a-f]{6}) ([\d.]+) %/g)].map((m) => [m[1], Number(m[2])]);
  assert.deepEqual(listed.map(([h]) => h), stats.palette.map(hex), 'every colour, largest share first');
  listed.forEach(([, percent], i) => assert.ok(Math.abs(percent - stats.palette[i][3] * 100) <= 0.5, `share ${i}`));
  assert.match(result, new RegExp(`^coffee, 600 x 400 pixels: ${stats.k} colours in rgb, colour only`));

  // Stepping back one half-step says the round; the description follows.
  await page.locator('#canvas').focus();
  await page.keyboard.press('ArrowLeft');
  await waitForSpoken(page, 'kpix-live', new RegExp(`^Round ${stats.iterations} of ${stats.iterations}, update step\\.$`));
  await waitForSpoken(page, 'kpix-result', /Showing round \d+ of \d+, update step\./);

  // A dropped photo: its result replaces the sample's.
  await dropFile(page, CHINA);
  const china = await waitForStatus(page, 'done');
  await waitForSpoken(page, 'kpix-live', new RegExp(`^china\\.jpg: ${china.k} colours after ${china.iterations} rounds`));

  // Refused by the page (not an image at all) and by the decoder: each says why, assertively.
  await dropText(page, 'a line of text');
  assert.match(await waitForSpoken(page, 'kpix-alert', /not an image/), /^That is not an image\. Drop, paste or choose a photo file/);
  await dropFile(page, { name: 'notes.png', bytes: Buffer.from('this is not a photo'), type: 'image/png' });
  const refused = await waitForStatus(page, 'error');
  assert.ok(refused.message.length > 0);
  await page.waitForFunction((message) => document.getElementById('kpix-alert').textContent.trim() === message,
    refused.message, { timeout: 10_000 });
  // The photo shown is still described.
  assert.match((await spoken(page)).result, /^china\.jpg, 640 x 427 pixels/);
}

test('the live region reads the result, the round stepped to and refused files', liveRegion);
test('the live region reads the result, the round stepped to and refused files (single-threaded)', liveRegion,
  { isolation: false });

test('a browser without WebAssembly SIMD is told so in one line, and the page is not blank', async ({ page, baseUrl, requests }) => {
  // A browser without SIMD rejects the probe module: simulated by making every check fail.
  await page.addInitScript(() => { WebAssembly.validate = () => false; });
  await page.goto(baseUrl, { waitUntil: 'load' });
  await page.waitForFunction(() => window.kpix && window.kpix.stats().status === 'error', null, { timeout: 10_000 });
  const box = page.locator('#kpix-status');
  assert.ok(await box.isVisible(), 'the message is on the page');
  const text = (await box.textContent()).trim();
  assert.equal(text, 'kpix needs WebAssembly SIMD, which this browser does not offer: use Chrome or Edge 91, Firefox 89, Safari 16.4 or newer.');
  assert.equal((await spoken(page)).alert, text, 'and is said at once');
  const shot = await page.screenshot();
  assert.ok(shot.length > 0);
  assert.ok(!requests.some((url) => /kpix\.(js|wasm)$/.test(url)), 'the build that cannot run is not downloaded');
});

test('window.kpixFatal shows why the app cannot start (its WebGL2 context failed)', async ({ page, baseUrl }) => {
  // The page's probe canvas gets WebGL2; the app's own canvas does not, so the app's main() calls
  // window.kpixFatal.
  await page.addInitScript(() => {
    const getContext = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
      if (this.id === 'canvas' && /webgl/.test(type)) return null;
      return getContext.call(this, type, ...rest);
    };
  });
  await page.goto(baseUrl, { waitUntil: 'load' });
  assert.equal(await page.evaluate(() => typeof window.kpixFatal), 'function');
  const message = 'WebGL2 is not available in this browser: kpix cannot draw.';
  await page.waitForFunction((m) => document.getElementById('kpix-status').textContent === m, message, { timeout: 60_000 });
  assert.ok(await page.locator('#kpix-status').isVisible());
  assert.equal((await spoken(page)).alert, message);
});

/** Presses a key as Chromium receives it from a keyboard with another layout (through CDP, so
 * keydown, keypress and keyup carry the layout's key, code, legacy keyCode and text). */
async function pressOnLayout(cdp, { key, code, keyCode, text = '', shift = false }) {
  const common = { key, code, windowsVirtualKeyCode: keyCode, nativeVirtualKeyCode: keyCode, modifiers: shift ? 8 : 0 };
  await cdp.send('Input.dispatchKeyEvent', text
    ? { type: 'keyDown', text, unmodifiedText: text, ...common }
    : { type: 'rawKeyDown', ...common });
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...common });
}

test('shortcuts follow the key\'s label on Dvorak, AZERTY and QWERTZ keyboards', async ({ page, context, baseUrl }) => {
  const before = await openApp(page, baseUrl);
  await page.locator('#canvas').focus();
  const cdp = await context.newCDPSession(page);
  const view = async () => (await waitForStatus(page, 'done')).view;
  assert.equal((await view()).side_panel, true);

  // Dvorak: "d" sits where QWERTY has h; it is not a shortcut, so nothing happens...
  await pressOnLayout(cdp, { key: 'd', code: 'KeyH', keyCode: 68, text: 'd' });
  await nextFrames(page, 4);
  assert.equal((await view()).side_panel, true, 'the key in h\'s place, labelled d, does nothing');
  // ... and the key labelled "h" (QWERTY's j) hides the side panel, as the help says of h.
  await pressOnLayout(cdp, { key: 'h', code: 'KeyJ', keyCode: 72, text: 'h' });
  await page.waitForFunction(() => window.kpix.stats().view && window.kpix.stats().view.side_panel === false,
    null, { timeout: 10_000 });

  // AZERTY: "-" is the 6 key unshifted: one cluster fewer.
  await pressOnLayout(cdp, { key: '-', code: 'Digit6', keyCode: 54, text: '-' });
  await page.waitForFunction((k) => window.kpix.stats().status === 'done' && window.kpix.stats().k === k,
    before.k - 1, { timeout: 60_000 });

  // QWERTZ: "?" is shift + the ß key (US "-"): the list of keys opens.
  const shown = async () => (await view()).widgets.some((w) => w.name === 'Keyboard');
  assert.equal(await shown(), false);
  await pressOnLayout(cdp, { key: '?', code: 'Minus', keyCode: 219, text: '?', shift: true });
  await nextFrames(page, 4);
  assert.equal(await shown(), true, 'shift+ß on QWERTZ types ? and shows the keys');
});
