// Runs kpix's browser tests: every tests/e2e/test_*.mjs registers its tests with the harness.
// Usage: node tests/e2e/run.mjs [name-filter]   (env KPIX_WWW, KPIX_ARTIFACTS, KPIX_CHROMIUM)

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { run } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const files = fs.readdirSync(here).filter((f) => /^test_.*\.mjs$/.test(f)).sort();
for (const file of files) await import(pathToFileURL(path.join(here, file)).href);

const ok = await run({ filter: process.argv[2] || process.env.KPIX_E2E_FILTER || '' });
process.exit(ok ? 0 : 1);
