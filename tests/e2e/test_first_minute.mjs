// The first minute: the page opens on a clustered sample with no interaction, a link reproduces
// a result, malformed links fall back to defaults with a note, a user's photo never enters a link.

import assert from 'node:assert/strict';
import { test, openApp, waitForStatus, waitForReady, dropFile } from './harness.mjs';

const CHINA = '/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg';

function hashParams(page) {
  return page.evaluate(() => Object.fromEntries(new URLSearchParams(location.hash.slice(1))));
}

test('the page opens on a clustered sample, with its link in the address bar', async ({ page, baseUrl, artifacts }) => {
  const started = Date.now();
  await page.goto(baseUrl, { waitUntil: 'commit' });
  await waitForReady(page);
  const stats = await waitForStatus(page, 'done');
  const seconds = (Date.now() - started) / 1000;
  console.log(`    navigation to first clustered result: ${seconds.toFixed(2)} s`);
  assert.equal(stats.sample, 'coffee');
  assert.equal(stats.k, 8);
  assert.equal(stats.palette.length, 8);
  assert.equal(stats.width, 600);
  assert.equal(stats.height, 400);
  const link = await hashParams(page);
  assert.equal(link.sample, 'coffee');
  assert.equal(link.k, '8');
  assert.equal(link.init, 'kmeans++', 'URLSearchParams reads init back as kmeans++ (percent-encoded +)');
  assert.deepEqual(stats.notes, []);
  await artifacts.screenshot('first-minute-open');
});

test('a link with sample=chelsea&k=3 gives the same 3-colour result every time', async ({ page, context, baseUrl }) => {
  const first = await openApp(page, baseUrl, { fragment: '#sample=chelsea&k=3' });
  assert.equal(first.sample, 'chelsea');
  assert.equal(first.k, 3);
  assert.equal(first.palette.length, 3);
  const again = await context.newPage();
  const second = await openApp(again, baseUrl, { fragment: '#sample=chelsea&k=3' });
  for (const key of ['width', 'height', 'k', 'seed', 'iterations', 'inertia', 'palette']) {
    assert.deepEqual(second[key], first[key], `${key} differs between two openings of the link`);
  }
  // The address bar now carries every parameter, so the link is complete.
  const link = await hashParams(again);
  for (const key of ['sample', 'k', 'space', 'xy', 'seed', 'init', 'n_init', 'max_iter', 'tol']) {
    assert.ok(key in link, `link lacks ${key}: ${JSON.stringify(link)}`);
  }
  await again.close();
});

test('malformed links fall back to defaults with a note and no console error', async ({ page, baseUrl }) => {
  const cases = ['#k=-5', '#k=abc', '#seed=', '#sample=../../x', `#k=3&${'x'.repeat(100_000)}`];
  for (const fragment of cases) {
    const stats = await openApp(page, baseUrl, { fragment });
    const label = fragment.slice(0, 30);
    assert.equal(stats.k, 8, `${label}: k falls back to 8`);
    assert.equal(stats.sample, 'coffee', `${label}: the default sample opens`);
    assert.ok(stats.notes.length >= 1, `${label}: a note says what was ignored`);
    // A fresh document for the next case (same-document hash changes are the next test's job).
    await page.goto('about:blank');
  }
});

test('changing the fragment by hand reruns; a dropped photo leaves the link', async ({ page, baseUrl }) => {
  await openApp(page, baseUrl);
  await page.evaluate(() => { location.hash = '#sample=astronaut&k=4&seed=2'; });
  await page.waitForFunction(() => window.kpix.stats().sample === 'astronaut' && window.kpix.stats().status === 'done');
  const astronaut = await page.evaluate(() => window.kpix.stats());
  assert.equal(astronaut.k, 4);
  assert.equal(astronaut.seed, 2);
  await dropFile(page, CHINA);
  const china = await waitForStatus(page, 'done');
  assert.equal(china.sample, '', 'a dropped photo is not a sample');
  assert.equal(china.width, 640);
  assert.equal(china.k, 4, 'the parameters stay');
  const link = await hashParams(page);
  assert.ok(!('sample' in link), `the user's photo must not be named in the link: ${JSON.stringify(link)}`);
  assert.equal(link.k, '4');
});
