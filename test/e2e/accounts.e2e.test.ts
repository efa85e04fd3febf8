// Sharing a server, in a real browser against a real multi-user `melies serve`: the admin opens the
// one-time setup link, issues an invite and tightens the free plan; a student registers through the
// invite link, creates an API key (shown once) that the openai SDK then uses, makes a video, hits
// the daily quota (the API's 429 message shown in the composer), and revokes the key (the next SDK
// call is a 401). The admin suspends the student, whose open tab falls back to sign-in.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, serveProcess, type MeliesProcess } from '../helpers/process.js';
import { launchChromium, seriousA11yViolations } from './browser.js';

const SHOTS = join(ROOT, 'docs', 'screenshots');

let dataDir: string;
let server: MeliesProcess & { url: string };
let browser: Browser;
let adminCtx: BrowserContext;
let studentCtx: BrowserContext;
let admin: Page;
let student: Page;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'melies-e2e-accounts-'));
  server = await serveProcess(dataDir, { MELIES_AUTH: 'multi', MELIES_SKETCH_X264_PRESET: 'ultrafast' });
  browser = await launchChromium();
  adminCtx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark', bypassCSP: true });
  studentCtx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark', bypassCSP: true });
  admin = await adminCtx.newPage();
  student = await studentCtx.newPage();
  for (const p of [admin, student]) p.on('pageerror', (err) => { throw err; });
});

afterAll(async () => {
  await browser?.close();
  if (server) { server.child.kill('SIGTERM'); await server.exited; }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const serious = async (p: Page) => (await seriousA11yViolations(p)).map((v) => `${v.id}: ${v.help} ${JSON.stringify(v.nodes.slice(0, 3))}`);

describe('sharing a server (multi-user)', () => {
  let inviteLink: string;
  let apiKey: string;

  it('shows sign-in, not the studio, to someone without a session', async () => {
    await student.goto(server.url);
    await expect(student.getByRole('heading', { name: 'Sign in' }).waitFor()).resolves.toBeUndefined();
    expect(await student.getByLabel('Prompt', { exact: true }).count()).toBe(0);
    expect(await serious(student)).toEqual([]);
  });

  it('creates the admin from the one-time setup link printed at start', async () => {
    const setup = /(http:\/\/\S+\/setup#token=\S+)/.exec(server.output())?.[1];
    expect(setup).toBeTruthy();
    await admin.goto(setup!);
    await admin.getByLabel('Email').fill('teacher@example.org');
    await admin.getByLabel('Password').fill('correct horse battery');
    await admin.getByRole('button', { name: 'Create admin account' }).click();
    await admin.getByRole('link', { name: 'Admin' }).waitFor();
    // The link works once.
    const again = await fetch(`${server.url}/api/auth/setup`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: /#token=(\S+)/.exec(setup!)![1], email: 'mallory@example.org', password: 'another long password' }),
    });
    expect(again.status).toBe(403);
  });

  it('lets the admin tighten the free plan and issue an invite', async () => {
    await admin.getByRole('link', { name: 'Admin' }).click();
    const free = admin.locator('form[data-plan="free"]');
    await free.getByLabel('Seconds / day').fill('3');
    await free.getByRole('button', { name: 'Save Free' }).click();
    await expect.poll(async () => admin.locator('form[data-plan="free"]').getByLabel('Seconds / day').inputValue()).toBe('3');

    await admin.getByLabel('Uses').fill('30');
    await admin.getByRole('button', { name: 'Create invite' }).click();
    const link = admin.locator('.invite-link').first();
    await link.waitFor();
    inviteLink = (await link.textContent())!;
    expect(inviteLink).toMatch(new RegExp(`^${server.url}/register\\?invite=`));
    await expect.poll(() => admin.locator('.invites li').first().textContent()).toContain('used 0 of 30');
    expect(await serious(admin)).toEqual([]);
    await admin.screenshot({ path: join(SHOTS, 'admin-desktop.png') });
  });

  it('fits the admin page on a 390 px phone without sideways scrolling', async () => {
    const p = await adminCtx.newPage();
    await p.setViewportSize({ width: 390, height: 844 });
    await p.goto(`${server.url}/admin`);
    await p.locator('form[data-plan="free"]').waitFor();
    await p.locator('.invite-link').first().waitFor();
    await p.locator('tr[data-user="teacher@example.org"]').waitFor();
    expect(await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    // Nothing sticks out of its panel either (a wide table scrolls inside its own box).
    const outside = await p.evaluate(() => [...document.querySelectorAll('main *')].filter((el) => {
      if (el.closest('.table-wrap')) return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.right > window.innerWidth + 0.5 || r.left < -0.5);
    }).map((el) => `${el.tagName}.${el.className}`));
    expect(outside).toEqual([]);
    await p.screenshot({ path: join(SHOTS, 'admin-phone.png') });
    await p.evaluate(() => document.querySelector('form[data-plan="free"]')!.scrollIntoView());
    await p.screenshot({ path: join(SHOTS, 'admin-phone-plans.png') });
    await p.close();
  });

  it('registers a student through the invite link', async () => {
    await student.goto(inviteLink);
    await expect(student.getByLabel('Invite code').inputValue()).resolves.toBe(new URL(inviteLink).searchParams.get('invite'));
    await student.getByLabel('Email').fill('ada@example.org');
    await student.getByLabel('Password').fill('short');
    await student.getByRole('button', { name: 'Create account' }).click();
    // The server's refusal, as written (a 10-character minimum).
    await expect(student.getByRole('alert').textContent()).resolves.toMatch(/10 characters/);
    await student.getByLabel('Password').fill('a long enough password');
    await student.getByRole('button', { name: 'Create account' }).click();
    await student.getByLabel('Prompt', { exact: true }).waitFor();
    await expect(student.locator('.who').textContent()).resolves.toBe('ada@example.org');
    await expect.poll(async () => { await admin.reload(); return admin.locator('.invites li').first().textContent(); }).toContain('used 1 of 30');
  });

  it('greys out the durations and sizes the plan refuses, and says why', async () => {
    // The free plan: videos up to 10 s, frames up to 1280x720.
    const duration = student.getByLabel('Duration');
    expect(await duration.locator('option[value="10"]').isDisabled()).toBe(false);
    expect(await duration.locator('option[value="12"]').isDisabled()).toBe(true);
    expect(await duration.locator('option[value="12"]').textContent()).toMatch(/over your plan/);
    await student.getByRole('radio', { name: '16:9' }).check();
    const size = student.getByLabel('Size');
    expect(await size.locator('option[value="1280x720"]').isDisabled()).toBe(false);
    expect(await size.locator('option[value="1920x1080"]').isDisabled()).toBe(true);
    expect(await student.locator('.composer').textContent()).toMatch(/Your plan \(Free\) allows videos up to 10 s and frames up to 921,600 pixels/);
  });

  it('creates an API key, shown once, that the openai SDK can use', async () => {
    await student.getByRole('link', { name: 'Settings' }).click();
    await student.getByLabel('Name', { exact: true }).fill('laptop');
    await student.getByRole('button', { name: 'Create key' }).click();
    const secret = student.locator('#new-key');
    await secret.waitFor();
    apiKey = (await secret.textContent())!.trim();
    expect(apiKey).toMatch(/^mls_/);
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey, maxRetries: 0 });
    const page = await client.videos.list();
    expect(page.data).toEqual([]);
    // Shown once: after a reload the page lists the key by name and prefix, never the secret.
    await student.reload();
    await student.getByText('laptop').first().waitFor();
    expect(await student.content()).not.toContain(apiKey);
    expect(await serious(student)).toEqual([]);
  });

  it('makes a video within the plan, then shows the 429 quota message, and the usage panel agrees', async () => {
    await student.getByRole('link', { name: 'Create' }).click();
    await student.getByLabel('Prompt', { exact: true }).fill('a paper boat on a pond');
    await student.getByLabel('Duration').selectOption('2');
    await student.getByRole('button', { name: /^Create video/ }).click();
    const row = student.locator('.jobs li.job').filter({ hasText: 'a paper boat on a pond' }).first();
    await row.waitFor();
    const id = (await row.getAttribute('data-video-id'))!;
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey, maxRetries: 0 });
    await expect.poll(async () => (await client.videos.retrieve(id)).status, { timeout: 60_000, interval: 200 }).toBe('completed');

    await student.getByLabel('Prompt', { exact: true }).fill('a second paper boat');
    await student.getByRole('button', { name: /^Create video/ }).click();
    const alert = student.locator('.composer [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/used 2 of your 3 seconds of video today.*resets at/);
    await student.screenshot({ path: join(SHOTS, 'quota-desktop.png') });
    // The SDK gets the same refusal as a 429 insufficient_quota.
    await expect(client.videos.create({ model: 'sketch', prompt: 'a third boat', seconds: '2' as never, size: '640x360' as never }))
      .rejects.toMatchObject({ status: 429, code: 'insufficient_quota' });

    await student.getByRole('link', { name: 'Settings' }).click();
    const today = student.locator('.usage div').filter({ hasText: 'Today' });
    await expect.poll(() => today.textContent()).toContain('2 of 3 s');
    await student.screenshot({ path: join(SHOTS, 'settings-desktop.png') });
  });

  it('revokes the key in Settings: the next SDK call is a 401', async () => {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey, maxRetries: 0 });
    await client.videos.list();
    await student.getByRole('button', { name: 'Revoke laptop' }).click();
    await student.getByRole('button', { name: 'Confirm revoking laptop' }).click();
    await student.getByText('revoked').first().waitFor();
    await expect(client.videos.list()).rejects.toMatchObject({ status: 401 });
  });

  it('suspends the student from the admin page: her open tab falls back to sign-in', async () => {
    await admin.reload();
    await admin.getByRole('button', { name: 'Suspend ada@example.org' }).click();
    await admin.locator('tr[data-user="ada@example.org"]').getByText('suspended').waitFor();
    // The audit log names both people, not only their ids.
    await admin.reload();
    const entry = admin.locator('section[aria-labelledby="audit-h"] tr', { hasText: 'admin.user_suspend' }).first();
    await entry.waitFor();
    expect(await entry.textContent()).toContain('teacher@example.org');
    expect(await entry.textContent()).toContain('ada@example.org');
    // Her next request (the studio page loading its library) is refused, and the tab says so.
    await student.getByRole('link', { name: 'Create' }).click();
    await student.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await student.getByLabel('Prompt', { exact: true }).count()).toBe(0);
    await student.getByLabel('Email').fill('ada@example.org');
    await student.getByLabel('Password').fill('a long enough password');
    await student.getByRole('button', { name: 'Sign in' }).click();
    await expect(student.getByRole('alert').textContent()).resolves.toMatch(/suspended/i);
  });
});
