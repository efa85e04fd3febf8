// `melies serve` with a MELIES_CONFIG file, as a new user writes it from README: environment names
// as keys. The port and the database in the file are the ones used (SQLite and PostgreSQL); an
// unknown key stops the start with a message naming it, instead of being ignored.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { accountBackends } from '../helpers/accounts.js';
import { runMelies as spawnMelies, type MeliesProcess } from '../helpers/process.js';
import { freePort, place, type Place } from './settings.js';

const backends = await accountBackends();
const places: Place[] = [];
const runs: MeliesProcess[] = [];
afterAll(async () => {
  for (const r of runs) if (r.child.exitCode === null && r.child.signalCode === null) { r.child.kill('SIGKILL'); await r.exited; }
  for (const p of places) await p.drop();
});
const runMelies = (...args: Parameters<typeof spawnMelies>) => { const r = spawnMelies(...args); runs.push(r); return r; };

// No inherited setting may decide the outcome: only the file does.
const CLEAR = { MELIES_PORT: '', MELIES_HOST: '', MELIES_DATA_DIR: '', DATABASE_URL: '' };

describe.each(backends)('melies serve with MELIES_CONFIG (%s)', (backend) => {
  it('listens on the file\'s MELIES_PORT and uses the file\'s database', async () => {
    const p = await place(backend);
    places.push(p);
    const port = await freePort();
    const file = join(p.cwd, 'melies.config.json');
    const settings = Object.fromEntries(Object.entries(p.settings).filter(([, v]) => v !== ''));
    writeFileSync(file, JSON.stringify({ MELIES_PORT: port, ...settings, MELIES_SKETCH_X264_PRESET: 'ultrafast' }));
    const run = runMelies(['serve'], { ...CLEAR, MELIES_CONFIG: file }, p.cwd);
    try {
      const listening = await new Promise<string>((resolve, reject) => {
        const check = () => { const m = /listening on (http:\/\/\S+)/.exec(run.output()); if (m) resolve(m[1]!); };
        run.child.stdout!.on('data', check);
        run.exited.then(() => reject(new Error(`server exited:\n${run.output()}`)));
      });
      expect(listening).toBe(`http://127.0.0.1:${port}`);
      const models = await fetch(`http://127.0.0.1:${port}/v1/models`);
      expect(models.status).toBe(200);
      expect(await p.migrated()).toBe(true);
    } finally {
      run.child.kill('SIGTERM');
    }
    expect((await run.exited).code).toBe(0);
  });
});

describe('melies serve with an unknown key in MELIES_CONFIG', () => {
  it('exits non-zero naming the key and the closest known name, without listening', async () => {
    const p = await place('sqlite');
    places.push(p);
    const port = await freePort();
    const file = join(p.cwd, 'melies.config.json');
    writeFileSync(file, JSON.stringify({ MELIES_PROT: port, MELIES_DATA_DIR: p.dataDir }));
    const run = runMelies(['serve'], { ...CLEAR, MELIES_CONFIG: file }, p.cwd);
    // Before the fix it ignored the key and listened on 8080: stop it then, rather than hang.
    run.child.stdout!.on('data', () => { if (run.output().includes('listening')) run.child.kill('SIGTERM'); });
    const { code } = await run.exited;
    expect(run.output()).not.toContain('listening');
    expect(code).not.toBe(0);
    expect(run.output()).toContain(`MELIES_PROT: unknown setting; did you mean MELIES_PORT? (in ${file})`);
    expect(await p.migrated()).toBe(false);
  });
});
