#!/usr/bin/env node
// Restores lockfile entries for other platforms' optional native packages (@napi-rs/canvas-*,
// @rollup/rollup-*, …). The registry mirror on our build machines answers 404 for many of them, so
// `npm install` drops them from package-lock.json, and `npm ci` then refuses the lockfile as out of
// sync ("Missing: … from lock file"). Each restored entry is what the real registry publishes:
// the exact version the parent pins, marked optional, with os/cpu/libc read from the package name,
// so npm skips it on every other platform. Run after any `npm install` that changes the lockfile:
//   npm run lock:complete
import { readFileSync, writeFileSync } from 'node:fs';

const OS = ['android', 'darwin', 'linux', 'win32', 'freebsd', 'openbsd', 'netbsd', 'openharmony', 'sunos', 'aix'];
const CPU = { arm64: 'arm64', x64: 'x64', ia32: 'ia32', arm: 'arm', riscv64: 'riscv64', loong64: 'loong64', ppc64: 'ppc64', s390x: 's390x', mips64el: 'mips64el' };

function platformOf(name) {
  const tokens = name.split('/').pop().split('-');
  const os = tokens.find((t) => OS.includes(t));
  const cpu = tokens.map((t) => CPU[t]).find(Boolean);
  if (!os || !cpu) return null;
  const rest = tokens.slice(tokens.indexOf(cpu) + 1).join('-');
  const libc = os !== 'linux' ? null : /musl/.test(rest) ? 'musl' : /gnu/.test(rest) ? 'glibc' : null;
  return { os, cpu, libc };
}

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
const added = [];
const unknown = [];
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path}/node_modules/${dep}`;
    const hoisted = `node_modules/${dep}`;
    if (packages[nested] || packages[hoisted]) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+/.test(version)) {
      unknown.push(`${dep}@${version} (needed by ${path})`);
      continue;
    }
    packages[hoisted] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      cpu: [platform.cpu],
      ...(platform.libc ? { libc: [platform.libc] } : {}),
      license: entry.license,
      optional: true,
      os: [platform.os],
    };
    added.push(`${dep}@${version}`);
  }
}
// npm orders lockfile paths with localeCompare('en'); keep that so diffs stay small.
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => a.localeCompare(b, 'en')));
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lockfile: restored ${added.length} optional platform entries`);
if (unknown.length) {
  console.error(`lockfile: could not place these optional dependencies (add them by hand):\n  ${unknown.join('\n  ')}`);
  process.exit(1);
}
