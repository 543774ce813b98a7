/** Starts a real Attest server in this process on a random port with a fresh data folder. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../server/config.ts';
import { silentLogger } from '../../server/log.ts';
import { startAttest, type Attest } from '../../server/app.ts';

export interface TestServer {
  attest: Attest;
  config: Config;
  dataDir: string;
  url: string;
  /** Stops and starts again on the same data folder (and port 0 -> a new port). */
  restart(): Promise<TestServer>;
  stop(): Promise<void>;
}

export function tempDir(prefix = 'attest-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startTestServer(env: Record<string, string> = {}, dataDir = tempDir()): Promise<TestServer> {
  // Tests that drive a session by typing use the typed script unless they choose another.
  // Voice answers are off unless a test asks for them: the tone on the browser tests' fake
  // microphone must not answer questions that the tests answer by clicking.
  const config = loadConfig({ PORT: '0', ATTEST_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ATTEST_DEFAULT_SCRIPT: 'onboarding', ATTEST_STT_PROVIDER: 'none', ...env });
  const attest = await startAttest(config, silentLogger());
  // Links must point at the real port.
  const server: TestServer = {
    attest,
    config,
    dataDir,
    url: attest.url,
    async restart() {
      await attest.stop();
      return startTestServer(env, dataDir);
    },
    stop: () => attest.stop(),
  };
  return server;
}
