// A two-file build of the studio (an index page and one hashed asset), so tests see the routes the
// static files add without building the real studio.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const STUDIO_FIXTURE_FILES = ['/index.html', '/assets/app-1234.js'];

/** Makes the folder; the caller removes it. */
export function makeStudioFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'melies-studio-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>studio</title>');
  writeFileSync(join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
  return dir;
}
