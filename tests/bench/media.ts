/**
 * npm run bench:media -- [--sessions 1,2,4] [--seconds 10] [--rounds 3] [--json]
 *
 * Starts the real server (its own process, so its CPU is measured alone) and K concurrent
 * headless Chromium sessions with a fake 640x480@15 camera and microphone. For each K prints
 * server CPU per session (% of one core, server + media process), RSS, page load -> first frame
 * at the server (p50/p95 over K x rounds page loads, counted from navigation start) and frames
 * received per second per session. Last line is JSON.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { fakeMedia } from '../support/fake-media.ts';
import { tempDir } from '../support/attest.ts';
import { processTreeUsage } from '../support/proc.ts';
import { openSqliteStore } from '../../server/store/index.ts';
import { percentile, startServerProcess } from './process.ts';

interface Row {
  k: number;
  cpu_pct_per_session: number;
  rss_mb: number;
  first_frame_p50_ms: number;
  first_frame_p95_ms: number;
  fps: number;
  /** The same, counted from the page's load event instead of navigation start (human lines only). */
  after_load_event_p50_ms?: number;
}

function parseArgs(argv: string[]) {
  const args = { sessions: [1, 2, 4], seconds: 10, rounds: 3, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--sessions') {
      const list = (argv[++i] ?? '').split(',').map((s) => Number.parseInt(s, 10));
      if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1 || n > 16)) {
        throw new Error('--sessions takes a comma-separated list of 1..16, e.g. 1,2,4');
      }
      args.sessions = list;
    } else if (a === '--seconds') {
      args.seconds = Number(argv[++i]);
      if (!(args.seconds >= 2 && args.seconds <= 120)) throw new Error('--seconds takes 2..120');
    } else if (a === '--rounds') {
      args.rounds = Number(argv[++i]);
      if (!Number.isInteger(args.rounds) || args.rounds < 1 || args.rounds > 20) throw new Error('--rounds takes 1..20');
    } else throw new Error(`unknown argument ${a}; usage: bench:media -- [--sessions 1,2,4] [--seconds 10] [--rounds 3] [--json]`);
  }
  return args;
}

async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  return startServerProcess({ ATTEST_DATA_DIR: dataDir });
}

async function framesOf(url: string, token: string): Promise<number> {
  const view = (await (await fetch(`${url}/api/sessions/${token}`)).json()) as { media: { framesReceived: number } };
  return view.media.framesReceived;
}

interface Opened {
  sessions: { sessionId: string; token: string }[];
  firstFrameMs: number[];
  afterLoadMs: number[];
}

/** Opens K applicant pages at once and waits for each one's first frame at the server. */
async function openSessions(browser: Browser, k: number, url: string, dataDir: string): Promise<Opened> {
  const sessions = await Promise.all(
    Array.from({ length: k }, async () => {
      const res = await fetch(`${url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"locale":"en"}' });
      return (await res.json()) as { sessionId: string; token: string };
    }),
  );
  const pages = await Promise.all(sessions.map(async () => (await browser.newContext()).newPage()));
  // t0 = the browser's navigation start for the applicant link (performance.timeOrigin), so
  // the figure covers loading the app, the camera prompt, signaling and ICE/DTLS.
  const loads = await Promise.all(
    pages.map(async (page, i) => {
      await page.goto(`${url}/s/${sessions[i]!.token}`);
      return page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        return { start: performance.timeOrigin, loadEnd: performance.timeOrigin + (nav?.loadEventEnd ?? 0) };
      });
    }),
  );
  const store = openSqliteStore({ dataDir });
  const firstFrameMs: number[] = [];
  const afterLoadMs: number[] = [];
  try {
    const deadline = Date.now() + 60_000;
    for (const [i, s] of sessions.entries()) {
      for (;;) {
        const event = store.events.list(s.sessionId).find((e) => e.type === 'MediaFirstFrame');
        const at = (event?.payload as { firstFrameAtMs?: number } | undefined)?.firstFrameAtMs;
        if (typeof at === 'number') {
          firstFrameMs.push(at - loads[i]!.start);
          afterLoadMs.push(at - loads[i]!.loadEnd);
          break;
        }
        if (Date.now() > deadline) throw new Error(`session ${i + 1}/${k}: no frame reached the server in 60 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } finally {
    store.close();
  }
  return { sessions, firstFrameMs, afterLoadMs };
}

async function measure(
  k: number,
  options: { seconds: number; rounds: number },
  url: string,
  dataDir: string,
  serverPid: number,
  media: { video: string; audio: string },
): Promise<Row> {
  const firstFrame: number[] = [];
  const afterLoad: number[] = [];
  // Earlier rounds only add first-frame samples; the last one stays open for the steady state.
  for (let round = 1; round < options.rounds; round++) {
    const browser = await launchChromium(media);
    try {
      const opened = await openSessions(browser, k, url, dataDir);
      firstFrame.push(...opened.firstFrameMs);
      afterLoad.push(...opened.afterLoadMs);
    } finally {
      await browser.close();
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  const browser = await launchChromium(media);
  try {
    const { sessions, firstFrameMs, afterLoadMs } = await openSessions(browser, k, url, dataDir);
    firstFrame.push(...firstFrameMs);
    afterLoad.push(...afterLoadMs);
    await new Promise((r) => setTimeout(r, 1500)); // settle past connection setup
    const frames0 = await Promise.all(sessions.map((s) => framesOf(url, s.token)));
    const usage0 = processTreeUsage(serverPid);
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, options.seconds * 1000));
    const usage1 = processTreeUsage(serverPid);
    const frames1 = await Promise.all(sessions.map((s) => framesOf(url, s.token)));
    const elapsed = (Date.now() - t0) / 1000;
    const cpuPct = ((usage1.cpuSeconds - usage0.cpuSeconds) / elapsed) * 100;
    const fps = frames1.reduce((sum, f, i) => sum + (f - frames0[i]!), 0) / k / elapsed;
    return {
      k,
      cpu_pct_per_session: round(cpuPct / k, 1),
      rss_mb: round(usage1.rssBytes / 1024 / 1024, 0),
      first_frame_p50_ms: Math.round(percentile(firstFrame, 50)),
      first_frame_p95_ms: Math.round(percentile(firstFrame, 95)),
      fps: round(fps, 1),
      after_load_event_p50_ms: Math.round(percentile(afterLoad, 50)),
    };
  } finally {
    await browser.close();
  }
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.resolve('dist/client/index.html'))) throw new Error('the client is not built (npm run bench:media builds it)');
  const dataDir = tempDir('attest-bench-');
  const media = fakeMedia(path.join(dataDir, 'media'));
  const { child, url } = await startServer(path.join(dataDir, 'server'));
  const rows: Row[] = [];
  try {
    for (const k of args.sessions) {
      const row = await measure(k, { seconds: args.seconds, rounds: args.rounds }, url, path.join(dataDir, 'server'), child.pid!, media);
      rows.push(row);
      if (!args.json) {
        console.log(
          `k=${k}: cpu ${row.cpu_pct_per_session}% of a core per session, rss ${row.rss_mb} MB, first frame p50 ${row.first_frame_p50_ms} ms p95 ${row.first_frame_p95_ms} ms from navigation start (p50 ${row.after_load_event_p50_ms} ms after the load event), ${row.fps} fps per session`,
        );
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(JSON.stringify({ sessions: rows.map(({ after_load_event_p50_ms: _unused, ...row }) => row) }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
