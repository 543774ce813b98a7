/**
 * A still photo held up to the camera must never pass liveness: in real Chromium whose fake
 * camera shows one face photo, the liveness step fails and the session takes the scripted route
 * (human review), with the reasons stored for the reviewer.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/index.ts';
import { browserAvailability, launchChromium } from '../support/browser.ts';
import { writeWav } from '../support/fake-media.ts';
import { startTestServer, tempDir, type TestServer } from '../support/attest.ts';
import { writeStillY4m } from '../support/still-video.ts';
import { createSession } from '../support/applicant.ts';

const browserCheck = browserAvailability();
// A public-figure photo from the shared evaluation data (never copied into the project).
const FACE = path.resolve('../shared/fixtures/faces/test_images/obama.jpg');
const haveFace = fs.existsSync(FACE);
if (browserCheck.available && !haveFace) console.warn(`liveness browser test skipped: no face photo at ${FACE}`);

describe.skipIf(!browserCheck.available || !haveFace)('liveness against a still photo', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!fs.existsSync(path.resolve('dist/client/index.html'))) execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
    server = await startTestServer({ ATTEST_SCRIPTS_DIR: 'fixtures/scripts', ATTEST_DEFAULT_SCRIPT: 'liveness-check' });
    const dir = tempDir('attest-photo-');
    const video = path.join(dir, 'photo.y4m');
    const audio = path.join(dir, 'mic.wav');
    await writeStillY4m(FACE, video);
    writeWav(audio, { sampleRate: 48_000, seconds: 4 });
    browser = await launchChromium({ video, audio });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('fails the liveness step, says so and routes to review', async () => {
    const created = await createSession(server.url, { locale: 'en' });
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/s/${created.token}`);
      await page.locator('[data-testid="media-status"][data-state="connected"]').waitFor({ timeout: 30_000 });
      await page.getByTestId('begin-button').click();
      await page.getByTestId('choice-yes').click();
      await page.getByTestId('liveness').waitFor({ timeout: 15_000 });
      // The applicant is told what to do while the check runs.
      await expect.poll(async () => (await page.getByTestId('liveness-instruction').textContent()) ?? '', { timeout: 15_000 }).not.toBe('');
      await page.locator('[data-testid="finished"][data-status="review"]').waitFor({ timeout: 60_000 });

      const store = openSqliteStore({ dataDir: server.dataDir });
      try {
        const result = store.events
          .list(created.sessionId)
          .find((e) => e.type === 'VerifierFinished' && (e.payload as { verifier: string }).verifier === 'liveness')?.payload as {
          outcome: string;
          data: { reason: string; flags: { code: string; severity: string }[] };
        };
        expect(result.outcome).not.toBe('pass');
        const blocking = result.data.flags?.filter((f) => f.severity === 'block').map((f) => f.code) ?? [];
        // A still picture is caught as frozen or as a flat (planar) face, never passed.
        expect(blocking.length > 0 || result.outcome === 'timeout').toBe(true);
        const said = store.events.list(created.sessionId).filter((e) => e.type === 'AssistantSaid').map((e) => (e.payload as { text: string }).text);
        expect(said.at(-1)).toContain("couldn't confirm that a live person");
      } finally {
        store.close();
      }
    } finally {
      await context.close();
    }
  });
});
