// `melies verify` as a user runs it, on a file `melies generate` made in the same data directory
// (SQLite: the CLI's own database) and on copies of it: exit 0 trusted and made here, 2 altered or
// stripped, 1 when there is nothing to check.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { bins } from '../helpers/media.js';
import { runMelies } from '../helpers/process.js';

const fast = { MELIES_JOB_POLL_MS: '50', MELIES_SKETCH_X264_PRESET: 'ultrafast' };

async function melies(args: string[]): Promise<{ code: number | null; out: string }> {
  const run = runMelies(args, fast);
  const { code } = await run.exited;
  return { code, out: run.output() };
}

describe('melies verify', () => {
  it('says trusted and made here for an untouched file, and exits non-zero for altered or stripped ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'melies-verify-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const data = join(dir, 'data');
    const out = join(dir, 'a.mp4');
    const made = await melies(['generate', 'a red kite over a field', '--seconds', '1', '--size', '320x180', '--fps', '12', '--seed', '3', '-o', out, '--data-dir', data]);
    expect(made.code, made.out).toBe(0);

    const ok = await melies(['verify', out, '--data-dir', data]);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toMatch(/^VALID \(trusted\): signed by Melies instance signer/);
    expect(ok.out).toMatch(/made here: yes \(video_[0-9a-f]{32}\)/);
    expect(ok.out).toMatch(/made by:  sketch \(engine sketch\)/);

    const bytes = readFileSync(out);
    const at = bytes.indexOf(Buffer.from('mdat')) + 1000;
    bytes[at] = bytes[at]! ^ 0x01;
    const flipped = join(dir, 'flipped.mp4');
    writeFileSync(flipped, bytes);
    const bad = await melies(['verify', flipped, '--data-dir', data, '--json']);
    expect(bad.code, bad.out).toBe(2);
    expect(JSON.parse(bad.out)).toMatchObject({ state: 'invalid', altered: true, made_here: false });

    const remuxed = join(dir, 'remuxed.mp4');
    execFileSync(bins.ffmpeg, ['-v', 'error', '-y', '-i', out, '-c', 'copy', remuxed]);
    const stripped = await melies(['verify', remuxed, '--data-dir', data]);
    expect(stripped.code, stripped.out).toBe(2);
    expect(stripped.out).toMatch(/NOT VERIFIED \(no_manifest\): no C2PA manifest: stripped or re-encoded, or not made by Méliès/);

    const missing = await melies(['verify', join(dir, 'nope.mp4'), '--data-dir', data]);
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/no such file/);
  }, 180_000);
});
