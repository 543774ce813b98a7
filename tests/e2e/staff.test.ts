/**
 * The staff sign-in in real Chromium against the real server: the gate shows the login form,
 * a wrong password is refused with a message, an admin signs in (HttpOnly cookie), adds a
 * reviewer on the admin page and sees it in the access log, signs out; the reviewer then signs
 * in and is shown "not allowed" on the admin page.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, CHROMIUM_PATH } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/attest.ts';
import { createStaff, type CreatedStaff } from '../support/staff.ts';

const browserCheck = browserAvailability();
const CLIENT_INDEX = path.resolve('dist/client/index.html');

describe.skipIf(!browserCheck.available)('staff sign-in in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: CreatedStaff;

  beforeAll(async () => {
    if (!fs.existsSync(CLIENT_INDEX)) execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
    server = await startTestServer();
    admin = await createStaff(server, { email: 'admin@example.test', role: 'admin' });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.getByTestId('staff-email').fill(email);
    await page.getByTestId('staff-password').fill(password);
    await page.getByTestId('staff-login-submit').click();
  }

  it('admin signs in, adds a reviewer, sees the access log, signs out; the reviewer may not open the admin page', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${server.url}/staff/admin`);
    await page.getByTestId('staff-login').waitFor();

    await signIn(page, admin.email, 'not the right password');
    await expect.poll(() => page.getByTestId('staff-login-error').textContent()).toContain('not correct');

    await signIn(page, admin.email, admin.password);
    await page.getByTestId('staff-admin').waitFor();
    expect(await page.getByTestId('staff-who').textContent()).toContain(admin.email);
    const cookie = (await context.cookies()).find((c) => c.name === 'attest_staff');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('attest_staff');

    await page.getByTestId('staff-add-email').fill('new.reviewer@example.test');
    await page.getByTestId('staff-add-role').selectOption('reviewer');
    await page.getByTestId('staff-add-password').fill('short');
    await page.getByTestId('staff-add-submit').click();
    await expect.poll(() => page.getByTestId('staff-add-result').textContent()).toMatch(/at least 12/);
    await page.getByTestId('staff-add-password').fill('a reviewer-grade password');
    await page.getByTestId('staff-add-submit').click();
    await page.locator('[data-testid="staff-account"][data-email="new.reviewer@example.test"]').waitFor();
    // Two creations: the admin's own (by the test helper, like the CLI) and the reviewer's.
    await expect.poll(() => page.locator('[data-testid="access-log-entry"][data-action="staff.create"]').count()).toBe(2);
    expect(await page.locator('[data-testid="access-log-entry"][data-action="staff.login"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="access-log-entry"][data-action="staff.login_failed"]').count()).toBe(1);

    await page.getByTestId('staff-signout').click();
    await page.getByTestId('staff-login').waitFor();
    await page.reload();
    await page.getByTestId('staff-login').waitFor();

    await signIn(page, 'new.reviewer@example.test', 'a reviewer-grade password');
    await page.getByTestId('staff-forbidden').waitFor();
    expect(await page.getByTestId('staff-who').textContent()).toContain('new.reviewer@example.test');
    expect(await page.getByTestId('staff-admin').count()).toBe(0);

    // The reviewer replaces the password the admin chose.
    await page.getByTestId('staff-header').getByRole('link').click();
    await page.getByTestId('staff-home').waitFor();
    expect(await page.getByTestId('staff-home').getByRole('link').allTextContents()).toEqual(['Review sessions']);
    const form = page.getByTestId('staff-change-password');
    await form.getByLabel('Current password').fill('a reviewer-grade password');
    await form.getByLabel('New password').fill('my very own passphrase');
    await form.getByRole('button').click();
    await expect.poll(() => form.getByRole('status').textContent()).toContain('password is changed');
    expect((await server.attest.staff.login('new.reviewer@example.test', 'my very own passphrase', '127.0.0.1')).staff.role).toBe('reviewer');
    await context.close();
  });
});
