/**
 * Debian's Chromium driven by playwright-core, with a fake camera and microphone. Browser
 * tests skip with a clear line when Chromium is missing, and fail instead with E2E_REQUIRED=1.
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function browserAvailability(): { available: boolean; reason: string } {
  if (fs.existsSync(CHROMIUM_PATH)) return { available: true, reason: '' };
  const reason = `Chromium not found at ${CHROMIUM_PATH} (install Debian's chromium or set CHROMIUM_PATH)`;
  if (process.env.E2E_REQUIRED === '1') {
    throw new Error(`E2E_REQUIRED=1 but browser tests cannot run: ${reason}`);
  }
  console.warn(`browser tests skipped: ${reason}`);
  return { available: false, reason };
}

export async function launchChromium(media: { video: string; audio: string }): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${media.video}`,
      `--use-file-for-fake-audio-capture=${media.audio}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}
