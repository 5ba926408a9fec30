#!/usr/bin/env node
// `npm start`: installs what is missing, builds, and starts the platform with demo data.
import { execSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } });

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.log('[start] npm ci …');
  run('npm ci --no-audit --no-fund');
}
console.log('[start] building …');
run('npx turbo run build --output-logs=errors-only');
const launcher = spawn(process.execPath, ['--enable-source-maps', join(root, 'infra/launcher/dist/main.js')], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => launcher.kill(signal));
launcher.on('exit', (code) => process.exit(code ?? 0));
