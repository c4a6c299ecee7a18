#!/usr/bin/env node
// Makes a fresh clone runnable before any TypeScript loads: installs npm dependencies when the
// lock file changed (or nothing is installed) and generates the Prisma client when the schema did.
// redis-server and the embedded Postgres cluster are handled by the launcher itself; the web app
// (apps/web) is built with Vite when its build is missing or stale.
'use strict';
const { execSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'node_modules', '.amc-lock-hash');
const lockHash = crypto.createHash('sha256').update(fs.readFileSync(path.join(root, 'package-lock.json'))).digest('hex');
const log = (message) => process.stderr.write(`[setup] ${message}\n`);

if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== lockHash) {
  log('installing npm dependencies (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
  fs.writeFileSync(stamp, lockHash);
}

const schema = path.join(root, 'prisma', 'schema.prisma');
const client = path.join(root, 'libs', 'db', 'src', 'generated', 'prisma', 'client.ts');
if (!fs.existsSync(client) || fs.statSync(client).mtimeMs < fs.statSync(schema).mtimeMs) {
  log('generating the Prisma client…');
  // The CLI insists on a schema-engine path even though generate never runs it; the real
  // engine download is impossible offline, and migrations are dbmate's anyway.
  execSync('npx prisma generate', {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
  });
}

// The browser tests drive Debian's chromium (never a downloaded browser) and the export tests read
// PDFs back with poppler-utils' pdftotext: `npm test` installs them like the launcher installs
// redis-server, as root with apt-get, or names the command to run.
const testPackages = [
  { name: 'chromium', present: () => fs.existsSync(process.env.CHROMIUM_PATH || '/usr/bin/chromium'), why: 'the browser tests need it' },
  { name: 'poppler-utils', present: () => fs.existsSync('/usr/bin/pdftotext'), why: 'the export tests read PDFs back with pdftotext' },
];
const missing = process.argv.includes('--for-tests') ? testPackages.filter((entry) => !entry.present()) : [];
if (missing.length > 0) {
  const command = `apt-get update && apt-get install -y ${missing.map((entry) => entry.name).join(' ')}`;
  if (process.getuid && process.getuid() === 0) {
    log(`${missing.map((entry) => entry.name).join(', ')} missing: running "${command}"…`);
    execSync(`${command} >/dev/null`, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } else {
    log(`${missing.map((entry) => `${entry.name} is missing (${entry.why})`).join('; ')}: sudo sh -c '${command}'`);
    process.exit(1);
  }
}

// The dashboard front end: the gateway serves its Vite build (apps/web/dist) at /app/. Rebuilt only
// when a source is newer than the build (a stat walk over a few dozen files).
require('../apps/web/build-if-stale.cjs').buildWebAppIfStale(log);
