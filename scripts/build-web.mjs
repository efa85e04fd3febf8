// Builds the studio (web/) into web/dist with Vite. `--if-stale` skips the build when dist is newer
// than every source file, so `npm start` costs nothing on the second run.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = fileURLToPath(new URL('../web', import.meta.url));
const marker = join(webDir, 'dist', 'index.html');

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    if (name === 'dist' || name === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

if (process.argv.includes('--if-stale') && existsSync(marker) && statSync(marker).mtimeMs >= newestMtime(webDir)) {
  process.exit(0);
}
const { build } = await import('vite');
const started = Date.now();
await build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' });
console.log(`studio built into web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
