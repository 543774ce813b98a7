/**
 * The document step in real Chromium: the fake camera shows a passport page the test renders
 * itself (face photo + MRZ); the server reads it from the live video or a photo taken from the
 * same camera, and the applicant is asked to confirm the fields read from it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, launchChromium } from '../support/browser.ts';
import { writeWav } from '../support/fake-media.ts';
import { startTestServer, tempDir, type TestServer } from '../support/attest.ts';
import { renderDocumentPage, SAMPLE_HOLDER, td3Lines } from '../support/mrz-render.ts';
import { writeStillY4m } from '../support/still-video.ts';
import { createSession } from '../support/applicant.ts';

const browserCheck = browserAvailability();

describe.skipIf(!browserCheck.available)('document step in Chromium', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!fs.existsSync(path.resolve('dist/client/index.html'))) execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
    server = await startTestServer({ ATTEST_DEFAULT_SCRIPT: 'onboarding-identity' });
    const dir = tempDir('attest-doc-');
    const video = path.join(dir, 'passport.y4m');
    const audio = path.join(dir, 'mic.wav');
    // The page held close to a 1280x720 camera, filling most of the picture.
    await writeStillY4m(await renderDocumentPage(td3Lines(SAMPLE_HOLDER), { jpegQuality: 0 }), video, { width: 1280, height: 720, fps: 15, seconds: 1, fit: 'contain' });
    writeWav(audio, { sampleRate: 48_000, seconds: 4 });
    browser = await launchChromium({ video, audio });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('asks the applicant to confirm the fields read from the document on the camera', async () => {
    const created = await createSession(server.url, { locale: 'en' });
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/s/${created.token}`);
      await page.locator('[data-testid="media-status"][data-state="connected"]').waitFor({ timeout: 30_000 });
      await page.getByTestId('begin-button').click();
      await page.getByTestId('choice-yes').click();
      await page.getByTestId('document-capture').waitFor({ timeout: 15_000 });
      // Live guidance arrives while the camera is watched; a photo from the same camera also works.
      await expect.poll(async () => (await page.getByTestId('document-guidance').getAttribute('data-code')) ?? '', { timeout: 15_000 }).not.toBe('');
      const confirm = page.getByTestId('confirm-fields');
      if (!(await confirm.isVisible())) await page.getByTestId('document-photo').click().catch(() => undefined);
      await confirm.waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('confirm-field-surname').inputValue()).toBe('MARTIN');
      expect(await page.getByTestId('confirm-field-givenNames').inputValue()).toBe('CLARA JANE');
      expect(await page.getByTestId('confirm-field-documentNumber').inputValue()).toBe('X4R829156');
      await page.getByTestId('confirm-button').click();
      await page.getByTestId('liveness').waitFor({ timeout: 15_000 });
    } finally {
      await context.close();
    }
  });
});
