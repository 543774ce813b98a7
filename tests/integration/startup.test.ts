/** Startup refuses bad configuration and bad scripts with messages that say what to fix. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { silentLogger } from '../../server/log.ts';
import { startAttest } from '../../server/app.ts';
import { tempDir } from '../support/attest.ts';

describe('startup', () => {
  it('names every wrong environment variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', ATTEST_SESSION_TTL_HOURS: '-1' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', ATTEST_SESSION_TTL_HOURS: '-1', ATTEST_ICE_SERVERS: '[{"url":"stun:x"}]' });
    } catch (error) {
      expect((error as Error).message).toContain('PORT');
      expect((error as Error).message).toContain('ATTEST_SESSION_TTL_HOURS');
    }
    expect(() => loadConfig({ ATTEST_ICE_SERVERS: '[{"url":"stun:x"}]' })).toThrow(/ATTEST_ICE_SERVERS/);
    expect(loadConfig({}).port).toBe(3000);
  });

  it('stops on an invalid script, naming file, line, field and reason', async () => {
    const scripts = tempDir('attest-scripts-');
    const file = path.join(scripts, 'broken.yaml');
    fs.writeFileSync(
      file,
      [
        'id: broken',
        'title: { en: Broken }',
        'locales: [en]',
        'steps:',
        '  - id: hello',
        '    kind: say',
        '    text: { en: Hi }',
        '  - id: done',
        '    kind: end',
        '    outcome: finished',
        '    text: { en: Bye }',
        '',
      ].join('\n'),
    );
    const config = loadConfig({ PORT: '0', ATTEST_DATA_DIR: tempDir(), ATTEST_SCRIPTS_DIR: scripts, ATTEST_DEFAULT_SCRIPT: 'broken' });
    const failure = await startAttest(config, silentLogger()).then(
      () => null,
      (error: unknown) => error as Error,
    );
    expect(failure?.name).toBe('ScriptError');
    expect(failure?.message).toContain(`${file}:10:`);
    expect(failure?.message).toContain('steps[1].outcome');
  });

  it('refuses an unknown default script and the not-yet-built LiveKit transport up front', async () => {
    const dataDir = tempDir();
    await expect(
      startAttest(loadConfig({ PORT: '0', ATTEST_DATA_DIR: dataDir, ATTEST_DEFAULT_SCRIPT: 'nope' }), silentLogger()),
    ).rejects.toThrow(/default script "nope"/);
    await expect(
      startAttest(loadConfig({ PORT: '0', ATTEST_DATA_DIR: dataDir, ATTEST_MEDIA_TRANSPORT: 'livekit' }), silentLogger()),
    ).rejects.toThrow(/livekit is not implemented yet/);
  });
});
