/**
 * Recording from consent on, in real Chromium over real WebRTC: nothing before the applicant
 * consents, then a playable MP4 (H.264 video + AAC audio) stored as an artifact whose hash is in
 * the session's chain.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/index.ts';
import { browserAvailability, launchChromium } from '../support/browser.ts';
import { fakeMedia } from '../support/fake-media.ts';
import { startTestServer, tempDir, type TestServer } from '../support/attest.ts';
import { createSession } from '../support/applicant.ts';

const browserCheck = browserAvailability();

describe.skipIf(!browserCheck.available)('session recording', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!fs.existsSync(path.resolve('dist/client/index.html'))) execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
    server = await startTestServer();
    browser = await launchChromium(fakeMedia(tempDir('attest-media-')));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('records from consent on and stores a playable segment when the applicant leaves', async () => {
    const created = await createSession(server.url, { locale: 'en' });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/s/${created.token}`);
    await page.locator('[data-testid="media-status"][data-state="connected"]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1500); // media flows, but nothing may be recorded yet
    await page.getByTestId('begin-button').click();
    await page.getByTestId('choice-yes').click();
    await page.waitForTimeout(3500);
    await context.close();

    const store = openSqliteStore({ dataDir: server.dataDir });
    try {
      await expect
        .poll(() => store.events.list(created.sessionId).some((e) => e.type === 'RecordingSegmentStored'), { timeout: 20_000 })
        .toBe(true);
      const events = store.events.list(created.sessionId);
      const consent = events.find((e) => e.type === 'ConsentRecorded');
      const started = events.find((e) => e.type === 'RecordingStarted');
      expect(consent && started && started.seq > consent.seq).toBe(true);
      const segment = events.find((e) => e.type === 'RecordingSegmentStored')!.payload as {
        artifactId: string;
        sha256: string;
        complete: boolean;
        durationMs: number;
        width: number;
        height: number;
      };
      expect(segment).toMatchObject({ complete: true, width: 640, height: 480 });
      expect(segment.durationMs).toBeGreaterThan(2500);
      expect(segment.durationMs).toBeLessThan(15_000);

      const artifact = await store.artifacts.read(segment.artifactId);
      expect(artifact?.record.sha256).toBe(segment.sha256);
      const file = path.join(tempDir('attest-rec-'), 'segment.mp4');
      fs.writeFileSync(file, artifact!.bytes);
      const probe = JSON.parse(
        execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height:format=duration', '-of', 'json', file], { encoding: 'utf8' }),
      ) as { streams: { codec_name: string; width?: number }[]; format: { duration: string } };
      expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
      expect(Math.abs(Number(probe.format.duration) * 1000 - segment.durationMs)).toBeLessThan(1000);
      expect(store.events.verifyChain(created.sessionId).ok).toBe(true);
    } finally {
      store.close();
    }
  });
});
