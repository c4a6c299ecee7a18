// Builds the web app (Vite) when apps/web/dist is missing or older than any of its sources:
// apps/web/{index.html,vite.config.ts,src/,public/}, libs/charts/src, libs/metrics/src, libs/contracts/src and
// libs/dashboards/src (bundled into the page).
// A walk over a few dozen file stats: cheap enough to run before every `npm start` / `npm test`.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const webRoot = __dirname;
const repoRoot = path.resolve(webRoot, '..', '..');
const builtIndex = path.join(webRoot, 'dist', 'index.html');
const sources = [
  path.join(webRoot, 'index.html'),
  path.join(webRoot, 'shared.html'),
  path.join(webRoot, 'vite.config.ts'),
  path.join(webRoot, 'package.json'),
  path.join(webRoot, 'src'),
  path.join(webRoot, 'public'),
  path.join(repoRoot, 'libs', 'charts', 'src'),
  path.join(repoRoot, 'libs', 'metrics', 'src'),
  path.join(repoRoot, 'libs', 'contracts', 'src'),
  path.join(repoRoot, 'libs', 'dashboards', 'src'),
];

function newestMtime(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(target).reduce((newest, name) => Math.max(newest, newestMtime(path.join(target, name))), stat.mtimeMs);
}

function webAppIsStale() {
  if (!fs.existsSync(builtIndex)) return true;
  const builtAt = fs.statSync(builtIndex).mtimeMs;
  return sources.some((source) => newestMtime(source) > builtAt);
}

/** Returns true when it built. `log` gets one line before a build. */
function buildWebAppIfStale(log = (message) => process.stderr.write(`${message}\n`)) {
  if (!webAppIsStale()) return false;
  log('building the web app (vite build apps/web)…');
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn', webRoot], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
  return true;
}

module.exports = { buildWebAppIfStale, webAppIsStale };

if (require.main === module) buildWebAppIfStale();
