/**
 * The script studio in real Chromium: a script editor signs in, changes the greeting in the
 * CodeMirror editor (the lint runs on the server as they type), publishes, and a new applicant
 * session (real WebRTC, fake camera) hears the new line.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, launchChromium } from '../support/browser.ts';
import { fakeMedia } from '../support/fake-media.ts';
import { startTestServer, tempDir, type TestServer } from '../support/attest.ts';
import { createSession } from '../support/applicant.ts';
import { createStaff } from '../support/staff.ts';

const browserCheck = browserAvailability();
const CLIENT_INDEX = path.resolve('dist/client/index.html');
const OLD_GREETING = "Hello, I'm Ava, your onboarding assistant.";
const NEW_GREETING = 'Good day! I am Ava, and this greeting was published from the studio.';

describe.skipIf(!browserCheck.available)('script studio in Chromium', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!fs.existsSync(CLIENT_INDEX)) execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
    server = await startTestServer();
    browser = await launchChromium(fakeMedia(path.join(tempDir('attest-media-'))));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an editor changes the greeting and publishes; a new session shows the new line', async () => {
    const editor = await createStaff(server, { email: 'editor@example.test', role: 'script_editor' });
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/studio`);
      await page.getByTestId('staff-email').fill(editor.email);
      await page.getByTestId('staff-password').fill(editor.password);
      await page.getByTestId('staff-login-submit').click();
      await page.getByTestId('studio-script-onboarding').click();
      await expect.poll(() => page.getByTestId('studio-current').textContent(), { timeout: 15_000 }).toMatch(/version 1/);

      // Edit the greeting in CodeMirror with the keyboard: go to its line, select it, type over it.
      const content = page.getByTestId('studio-editor-content');
      await content.waitFor();
      expect(await content.textContent()).toContain(OLD_GREETING);
      // The shipped script's lint warnings are shown inline (this script has no errors).
      await expect.poll(() => page.locator('.cm-lintRange-warning').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      expect(await page.locator('.cm-lintRange-error').count()).toBe(0);
      const line = fs.readFileSync('prompts/scripts/onboarding.yaml', 'utf8').split('\n').findIndex((text) => text.includes(OLD_GREETING));
      await content.click();
      await page.keyboard.press('Control+Home');
      for (let down = 0; down < line; down++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Home');
      await page.keyboard.press('Shift+End');
      await page.keyboard.insertText(NEW_GREETING);
      await expect.poll(() => content.textContent()).toContain(NEW_GREETING);

      // The server's lint runs on the new text; publishing is enabled only without errors.
      await expect.poll(() => page.getByTestId('studio-lint-summary').textContent(), { timeout: 15_000 }).toMatch(/^0 errors/);
      const publish = page.getByTestId('studio-publish');
      await expect.poll(() => publish.isEnabled()).toBe(true);
      await publish.click();
      await expect.poll(() => page.getByTestId('studio-message').textContent(), { timeout: 15_000 }).toContain('Published as version 2');
      await expect.poll(() => page.getByTestId('studio-current').textContent()).toMatch(/version 2, published by editor@example\.test/);

      // The simulator runs the text on the dialogue engine: answer the consent, see the path.
      let simulations = 0;
      page.on('request', (request) => {
        if (request.url().endsWith('/api/studio/simulate')) simulations++;
      });
      await page.getByTestId('studio-tab-simulator').click();
      await expect.poll(() => page.getByTestId('studio-sim-transcript').textContent(), { timeout: 15_000 }).toContain(NEW_GREETING);
      expect(await page.getByTestId('studio-sim-path').textContent()).toContain('welcome → consent_recording');
      await page.getByRole('button', { name: 'Yes, I agree' }).click();
      await expect.poll(() => page.getByTestId('studio-sim-path').textContent()).toContain('consent_recording → overview → full_name');
      await page.getByTestId('studio-sim-input').fill('Jane Example');
      await page.getByRole('button', { name: 'Answer' }).click();
      await expect.poll(() => page.getByTestId('studio-sim-path').textContent()).toContain('full_name → date_of_birth');
      // One run per choice (three so far), not a run per render.
      await page.waitForTimeout(1000);
      expect(simulations).toBe(3);
      await page.getByTestId('studio-tab-editor').click();

      // A mistake is underlined where it is, and publishing is disabled until it is fixed.
      await content.click();
      await page.keyboard.press('Control+Home');
      await page.keyboard.insertText('greeting: oops\n');
      await expect.poll(() => page.locator('.cm-lintRange-error').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      expect(await page.locator('.cm-lintRange-error').first().textContent()).toBe('greeting');
      expect(await page.getByTestId('studio-lint').textContent()).toContain("1:1 Error greeting: unknown field 'greeting'");
      expect(await publish.isDisabled()).toBe(true);

      // A new applicant session starts on version 2.
      const created = await createSession(server.url, { locale: 'en', scriptId: 'onboarding' });
      const applicant = await context.newPage();
      await applicant.goto(`${server.url}/s/${created.token}`);
      await applicant.locator('[data-testid="media-status"][data-state="connected"]').waitFor({ timeout: 30_000 });
      await applicant.getByTestId('begin-button').click();
      await expect.poll(async () => (await applicant.getByTestId('transcript').textContent()) ?? '', { timeout: 15_000 }).toContain(NEW_GREETING);
      expect((await applicant.getByTestId('transcript').textContent()) ?? '').not.toContain(OLD_GREETING);
    } finally {
      await context.close();
    }
  });
});
