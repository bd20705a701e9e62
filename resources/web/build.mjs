// SPDX-License-Identifier: MIT
// Bundles the dashboard into one JavaScript and one CSS file with esbuild:
//   node build.mjs --out DIR
// DIR then holds index.html, app.js, app.css and favicon.svg under fixed names, which
// CMake compiles into gasperd as Qt resources (:/web/...). gasperd names each asset by its
// content hash when it serves it (WebAssets), so the files here need no hash of their own.
import { build } from 'esbuild';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outIndex = process.argv.indexOf('--out');
const out = resolve(outIndex > 0 ? process.argv[outIndex + 1] : join(here, 'dist'));

try {
  await stat(join(here, 'node_modules', '@xterm', 'xterm'));
} catch {
  console.error('resources/web/node_modules is missing: run packaging/setup.sh (or `npm ci` in resources/web)');
  process.exit(1);
}

await mkdir(out, { recursive: true });
const result = await build({
  absWorkingDir: here,
  entryPoints: { app: 'src/main.js' },
  outdir: out,
  bundle: true,
  format: 'esm',
  target: ['chrome110', 'firefox115', 'safari16'],
  minify: true,
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
});
await copyFile(join(here, 'index.html'), join(out, 'index.html'));
await copyFile(join(here, 'favicon.svg'), join(out, 'favicon.svg'));
for (const [file, info] of Object.entries(result.metafile.outputs))
  console.log(`web: ${file.replace(/.*\//, '')} ${(info.bytes / 1024).toFixed(1)} KiB`);
