/**
 * The review console in real Chromium: an applicant records a session over real WebRTC (fake
 * camera and microphone) and finishes it; a reviewer signs in, finds the session in the queue,
 * plays the recording (currentTime advances; the step markers are there and seek), approves with
 * a note; an admin sees the view and the decision in the access log.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/index.ts';
import { browserAvailability, launchChromium } from '../support/browser.ts';
import { fakeMedia } from '../support/fake-media.ts';
import { startTestServer, tempDir, type TestServer } from '../support/attest.ts';
import { completeSession, connectApplicant, createSession } from '../support/applicant.ts';
import { createStaff, type CreatedStaff } from '../support/staff.ts';

const browserCheck = browserAvailability();

describe.skipIf(!browserCheck.available)('review console in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let reviewer: CreatedStaff;
  let admin: CreatedStaff;

  beforeAll(async () => {
    if (!fs.existsSync(path.resolve('dist/client/index.html'))) execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
    server = await startTestServer();
    browser = await launchChromium(fakeMedia(tempDir('attest-media-')));
    reviewer = await createStaff(server, { email: 'reviewer@example.test', role: 'reviewer' });
    admin = await createStaff(server, { email: 'admin@example.test', role: 'admin' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signIn(page: Page, who: CreatedStaff): Promise<void> {
    await page.getByTestId('staff-email').fill(who.email);
    await page.getByTestId('staff-password').fill(who.password);
    await page.getByTestId('staff-login-submit').click();
  }

  it('plays the recording with step markers, records an approval, and the admin finds the view and the decision in the access log', async () => {
    // The applicant: consents and answers a couple of questions on camera, then finishes.
    const created = await createSession(server.url, { locale: 'en' });
    const applicantContext = await browser.newContext();
    const applicantPage = await applicantContext.newPage();
    await applicantPage.goto(`${server.url}/s/${created.token}`);
    await applicantPage.locator('[data-testid="media-status"][data-state="connected"]').waitFor({ timeout: 30_000 });
    await applicantPage.getByTestId('begin-button').click();
    await applicantPage.getByTestId('choice-yes').click();
    for (const answer of ['Jane Example', '1990-04-12']) {
      const input = applicantPage.getByTestId('answer-input');
      await input.and(applicantPage.locator(':enabled')).waitFor({ timeout: 20_000 });
      await applicantPage.waitForTimeout(1500);
      await input.fill(answer);
      await applicantPage.getByTestId('answer-submit').click();
      await expect.poll(() => input.inputValue(), { timeout: 10_000 }).toBe('');
    }
    await applicantPage.waitForTimeout(1500);
    await applicantContext.close();
    // The rest of the session from another device (the scripted applicant takes it over).
    const applicant = await connectApplicant(server.url, created.token, { takeover: true });
    const final = await completeSession(applicant);
    applicant.close();
    expect(final.status).toBe('completed');
    const store = openSqliteStore({ dataDir: server.dataDir });
    try {
      await expect.poll(() => store.events.list(created.sessionId).some((e) => e.type === 'RecordingSegmentStored'), { timeout: 20_000 }).toBe(true);

      // The reviewer, on a laptop-sized screen.
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${server.url}/review`);
      await signIn(page, reviewer);
      const row = page.locator(`[data-testid="queue-row"][data-session-id="${created.sessionId}"]`);
      await row.waitFor({ timeout: 15_000 });
      await row.getByRole('link').click();
      await page.getByTestId('review-session').waitFor();
      expect(await page.getByTestId('session-status').textContent()).toBe('Completed');

      const markers = page.getByTestId('timeline-marker');
      await expect.poll(() => markers.count()).toBeGreaterThan(3);
      // Steps before consent happened before the recording: the first marker is at its start.
      const firstStep = (await markers.first().getAttribute('data-step')) ?? '';
      expect(firstStep).not.toBe('');
      const video = page.getByTestId('review-video');
      await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
      const duration = await video.evaluate((v: HTMLVideoElement) => v.duration);
      expect(duration).toBeGreaterThan(3);

      await video.evaluate((v: HTMLVideoElement) => {
        v.muted = true;
        return v.play();
      });
      await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 }).toBeGreaterThan(1);
      // The current step follows playback; a marker seeks to its step.
      await expect.poll(() => page.locator('[data-testid="step-item"][data-current="true"]').count()).toBe(1);
      await video.evaluate((v: HTMLVideoElement) => v.pause());
      const secondMarker = markers.nth(1);
      const secondStep = (await secondMarker.getAttribute('data-step')) ?? '';
      await secondMarker.click();
      await expect.poll(() => page.getByTestId('current-step').textContent()).toBe(secondStep);
      expect(await secondMarker.getAttribute('aria-current')).toBe('step');
      await markers.first().click();
      await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeLessThan(1);
      await expect.poll(() => page.getByTestId('current-step').textContent()).toBe(firstStep);
      // The transcript follows too: a line is highlighted.
      expect(await page.locator('[data-testid="transcript-line"][data-current="true"]').count()).toBe(1);

      // A decision needs a note.
      await page.getByTestId('decision-approve').check();
      await page.getByTestId('decision-submit').click();
      await expect.poll(() => page.getByTestId('decision-error').textContent()).toContain('note');
      await page.getByTestId('decision-note').fill('Identity, answers and signature are in order.');
      await page.getByTestId('decision-submit').click();
      await page.getByTestId('decision-saved').waitFor();
      await expect.poll(() => page.getByTestId('decision-history').textContent()).toContain('Identity, answers and signature are in order.');
      await context.close();

      const decided = store.events.list(created.sessionId).filter((e) => e.type === 'ReviewDecided');
      expect(decided.map((e) => e.payload)).toEqual([expect.objectContaining({ decision: 'approve', staffEmail: reviewer.email })]);

      // The admin reads the access log.
      const adminContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const adminPage = await adminContext.newPage();
      await adminPage.goto(`${server.url}/staff/admin`);
      await signIn(adminPage, admin);
      await adminPage.getByTestId('access-log-session').fill(created.sessionId);
      await adminPage.getByTestId('access-log-session').press('Enter');
      const entries = adminPage.getByTestId('access-log-entry');
      await expect.poll(async () => await entries.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action'))), { timeout: 10_000 }).toEqual(
        expect.arrayContaining(['session.decide', 'session.view', 'session.artifact']),
      );
      expect(await entries.filter({ hasText: 'reviewer@example.test' }).count()).toBeGreaterThanOrEqual(2);
      await adminContext.close();
    } finally {
      store.close();
    }
  });
});
