/**
 * A session answered entirely by voice in real Chromium: the fake microphone plays "yes" (spoken
 * by the project's offline voice) every few seconds, the server hears it over WebRTC, recognizes
 * it with pocketsphinx and moves through every question; the presenter speaks with captions.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/index.ts';
import { createSession } from '../support/applicant.ts';
import { startTestServer, tempDir, type TestServer } from '../support/attest.ts';
import { browserAvailability, launchChromium } from '../support/browser.ts';
import { fakeMedia } from '../support/fake-media.ts';
import { pocketsphinxAvailability, synthesize, VOICE_SCRIPT_ID, writeMicWav, writeVoiceScripts } from '../support/voice.ts';

const browserCheck = browserAvailability();
const sttCheck = pocketsphinxAvailability();

describe.skipIf(!browserCheck.available || !sttCheck.available)('a session answered by voice in Chromium', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
    const dir = tempDir('attest-voice-');
    server = await startTestServer({ ATTEST_SCRIPTS_DIR: writeVoiceScripts(path.join(dir, 'scripts')), ATTEST_DEFAULT_SCRIPT: VOICE_SCRIPT_ID, ATTEST_STT_PROVIDER: 'pocketsphinx', ATTEST_VOICE_REPROMPT_SECONDS: '60' });
    const [yes] = await synthesize([{ text: 'Yes.', locale: 'en' }]);
    const mic = path.join(dir, 'answers.wav');
    writeMicWav(mic, [yes!], { leadMs: 3000, gapMs: 3500 });
    browser = await launchChromium({ video: fakeMedia(dir).video, audio: mic });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('gets past every question by voice, with captions and a speaking presenter while audio plays', async () => {
    const { token, sessionId } = await createSession(server.url, { scriptId: VOICE_SCRIPT_ID });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.goto(`${server.url}/s/${token}`);
      await page.locator('[data-testid="media-status"][data-state="connected"]').waitFor({ timeout: 30_000 });
      await page.getByTestId('begin-button').click();

      // The first question is spoken: the presenter speaks, its mouth moves, the caption marks the words said.
      const presenter = page.locator('[data-testid="presenter"][data-state="speaking"]');
      await presenter.waitFor({ timeout: 15_000 });
      await expect.poll(() => page.getByTestId('presenter').getAttribute('data-viseme'), { timeout: 5_000, interval: 20 }).not.toBe('rest');
      const caption = page.getByTestId('assistant-line');
      expect(await caption.textContent()).toContain('This session will be recorded. Do you agree?');
      expect(await caption.locator('.caption__said').count()).toBe(1);
      // The assistant's voice really plays in the page (not only the animation).
      const audible = await page.evaluate(async () => {
        const audio = document.querySelector('[data-testid="assistant-audio"]') as HTMLAudioElement;
        return audio.srcObject !== null && !audio.muted && !audio.paused;
      });
      expect(audible).toBe(true);

      // Nothing is clicked or typed from here: the answers are spoken.
      const finished = page.getByTestId('finished');
      await finished.waitFor({ timeout: 120_000 });
      expect(await finished.getAttribute('data-status')).toBe('completed');
      // The closing line is heard to its end: the finished screen keeps the assistant's audio up
      // while it plays, then lets go of the connection.
      const closing = () =>
        page.evaluate(() => {
          const audio = document.querySelector('[data-testid="assistant-audio"]') as HTMLAudioElement | null;
          return audio !== null && audio.srcObject !== null && !audio.paused && (audio.srcObject as MediaStream).getAudioTracks().some((t) => t.readyState === 'live');
        });
      expect(await closing()).toBe(true);
    } finally {
      await page.close();
    }

    const store = openSqliteStore({ dataDir: server.dataDir });
    try {
      const events = store.events.list(sessionId);
      const heard = events.filter((e) => e.type === 'SpeechTranscribed').map((e) => e.payload as { stepId: string; text: string; recognizer: string });
      const steps = ['consent_recording', 'voluntary', 'for_yourself'];
      for (const stepId of steps) expect(heard.some((h) => h.stepId === stepId && h.recognizer === 'pocketsphinx' && /^yes/.test(h.text))).toBe(true);
      const answers = events.filter((e) => e.type === 'AnswerReceived').map((e) => e.payload as { stepId: string; text?: string; choice?: string });
      for (const stepId of steps) expect(answers.some((a) => a.stepId === stepId && a.text !== undefined && a.choice === undefined)).toBe(true);
      const timed = events.filter((e) => e.type === 'VoiceTurnTimed').map((e) => e.payload as { totalMs: number | null; recognitionMs: number });
      expect(timed.length).toBeGreaterThanOrEqual(2);
      expect(timed.some((t) => typeof t.totalMs === 'number' && t.totalMs > 0)).toBe(true);
    } finally {
      store.close();
    }
  });
});
