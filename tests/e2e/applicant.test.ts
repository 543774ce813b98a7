/**
 * The applicant's whole journey in real Chromium with a fake camera and microphone, over real
 * WebRTC to the real server: landing page -> devices -> consent -> questions -> finished.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/index.ts';
import { browserAvailability, launchChromium } from '../support/browser.ts';
import { fakeMedia } from '../support/fake-media.ts';
import { startTestServer, tempDir, type TestServer } from '../support/attest.ts';
import { createSession } from '../support/applicant.ts';

const browserCheck = browserAvailability();
const CLIENT_INDEX = path.resolve('dist/client/index.html');
const HAS_PDFSIG = spawnSync('pdfsig', ['-v']).error === undefined;

describe.skipIf(!browserCheck.available)('applicant in Chromium', () => {
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

  async function answerUntilFinished(page: Page): Promise<string> {
    for (let turn = 0; turn < 30; turn++) {
      const next = page
        .locator('[data-testid="finished"], [data-testid="choice-yes"]:enabled, [data-testid="answer-input"]:enabled, [data-testid="contract-text"]')
        .first();
      await next.waitFor({ timeout: 20_000 });
      const finished = page.getByTestId('finished');
      if (await finished.isVisible()) return (await finished.getAttribute('data-status')) ?? '';
      const before = await page.getByTestId('transcript').locator('> *').count();
      const yes = page.getByTestId('choice-yes');
      if (await page.getByTestId('contract-text').isVisible()) {
        await signContract(page);
      } else if (await yes.isVisible()) {
        await yes.click();
      } else {
        const input = page.getByTestId('answer-input');
        const label = `${(await page.getByTestId('assistant-line').textContent()) ?? ''}`;
        await input.fill(/birth|出生/i.test(label) ? '1990-04-12' : 'Jane Example');
        await page.getByTestId('answer-submit').click();
      }
      await expect.poll(async () => (await finished.isVisible()) || (await page.getByTestId('transcript').locator('> *').count()) > before, { timeout: 15_000 }).toBe(true);
    }
    throw new Error('the session did not finish in 30 turns');
  }

  /** Reads the contract to the end, draws a signature, types the statement shown and signs. */
  async function signContract(page: Page): Promise<void> {
    const statementInput = page.getByTestId('statement-input');
    // Nothing can be signed before the contract has been scrolled to its end.
    expect(await statementInput.isDisabled()).toBe(true);
    expect(await page.getByTestId('sign-button').isDisabled()).toBe(true);
    await page.getByTestId('contract-end').scrollIntoViewIfNeeded();
    await expect.poll(() => statementInput.isEnabled(), { timeout: 10_000 }).toBe(true);

    const pad = page.getByTestId('signature-pad');
    await pad.scrollIntoViewIfNeeded();
    const box = await pad.boundingBox();
    if (!box) throw new Error('the signature pad is not on screen');
    const at = (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const;
    const stroke = async (points: (readonly [number, number])[]) => {
      await page.mouse.move(...points[0]!);
      await page.mouse.down();
      for (const point of points.slice(1)) await page.mouse.move(...point, { steps: 4 });
      await page.mouse.up();
    };
    await stroke([at(0.1, 0.7), at(0.25, 0.2), at(0.4, 0.75), at(0.55, 0.3), at(0.7, 0.7), at(0.9, 0.4)]);
    await stroke([at(0.2, 0.9), at(0.8, 0.85)]);
    await expect.poll(() => pad.getAttribute('data-strokes')).toBe('2');
    await page.getByTestId('signature-undo').click();
    await expect.poll(() => pad.getAttribute('data-strokes')).toBe('1');

    const statement = ((await page.getByTestId('statement').textContent()) ?? '').trim();
    expect(statement).toContain('Jane Example');
    expect(await statementInput.inputValue()).toBe('');
    await statementInput.pressSequentially(statement);
    await page.getByTestId('sign-button').click();
  }

  it('completes the default script by typing answers, with the server receiving camera and microphone', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    try {
      await page.goto(server.url);
      await page.getByTestId('locale-en').click();
      await page.getByTestId('start-button').click();
      await page.waitForURL(/\/s\/[A-Za-z0-9_-]+$/);
      const token = page.url().split('/s/')[1]!;

      await page.locator('[data-testid="media-status"][data-state="connected"]').waitFor({ timeout: 30_000 });
      // Like a person reading the first screen: let a couple of seconds of media flow.
      await page.waitForTimeout(2000);
      await page.getByTestId('begin-button').click();
      const status = await answerUntilFinished(page);
      expect(status).toBe('completed');
      await expect.poll(async () => (await page.getByTestId('session-reference').textContent()) ?? '').toMatch(/ATT-[0-9A-Z]{4}-[0-9A-Z]{4}/);

      const view = (await (await fetch(`${server.url}/api/sessions/${token}`)).json()) as { sessionId: string; status: string };
      expect(view.status).toBe('completed');

      // The finished screen offers the signed contract and its record.
      await page.getByTestId('download-record').waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-contract').click()]);
      const pdfPath = path.join(tempDir('attest-download-'), 'contract.pdf');
      await download.saveAs(pdfPath);
      const pdf = fs.readFileSync(pdfPath);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      if (HAS_PDFSIG) {
        const pdfsig = spawnSync('pdfsig', [pdfPath], { encoding: 'utf8' });
        expect(pdfsig.stdout).toContain('Signature is Valid');
        expect(pdfsig.stdout).toContain('Total document signed');
      } else console.warn('applicant e2e: pdfsig is not installed; the downloaded PDF signature is not checked with it');
      await context.close();

      // What the server received from this browser, as stored in the session's events.
      const store = openSqliteStore({ dataDir: server.dataDir });
      try {
        await expect
          .poll(() => store.events.list(view.sessionId).some((e) => e.type === 'MediaClosed'), { timeout: 10_000 })
          .toBe(true);
        const events = store.events.list(view.sessionId);
        const firstFrame = events.find((e) => e.type === 'MediaFirstFrame')?.payload as { width: number; height: number };
        expect(firstFrame).toMatchObject({ width: 640, height: 480 });
        expect(events.some((e) => e.type === 'MediaFirstAudio')).toBe(true);
        const closed = events.find((e) => e.type === 'MediaClosed')?.payload as { framesReceived: number; audioPeak: number; frameSize: { width: number; height: number } };
        expect(closed.framesReceived).toBeGreaterThan(15);
        expect(closed.frameSize).toEqual({ width: 640, height: 480 });
        expect(closed.audioPeak).toBeGreaterThan(1000);
        expect(events.some((e) => e.type === 'SessionEnded' && (e.payload as { outcome: string }).outcome === 'completed')).toBe(true);
        expect(store.events.verifyChain(view.sessionId).ok).toBe(true);
      } finally {
        store.close();
      }
    } finally {
      await context.close().catch(() => undefined);
    }
  });

  it('reconnects after the server restarts mid-session and continues where it was', async () => {
    const port = await freePort();
    let own = await startTestServer({ PORT: String(port) });
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      const created = await createSession(own.url, { locale: 'zh-CN' });
      await page.goto(`${own.url}/s/${created.token}`);
      await page.locator('[data-testid="media-status"][data-state="connected"]').waitFor({ timeout: 30_000 });
      await page.getByTestId('begin-button').click();
      await page.getByTestId('choice-yes').click();
      await page.getByTestId('answer-input').and(page.locator(':enabled')).waitFor();
      const caption = await page.getByTestId('assistant-line').textContent();

      own = await own.restart();
      await page.locator('[data-testid="media-status"][data-state="connected"]').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('assistant-line').textContent()).toBe(caption);
      expect(await answerUntilFinished(page)).toBe('completed');
    } finally {
      await context.close();
      await own.stop();
    }
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
    srv.on('error', reject);
  });
}
