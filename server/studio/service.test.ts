/**
 * The studio service on a real SQLite store: defaults imported once, publish atomic with its
 * access-log entry, the catalog following publishes while pinned versions stay loadable.
 */
import { describe, expect, it } from 'vitest';
import { loadScriptsFromDir } from '../dialogue/index.ts';
import { loadProductsFromDir, registerProducts } from '../intent/products.ts';
import { silentLogger } from '../log.ts';
import { ScriptCatalog } from '../session/index.ts';
import { StaffService } from '../staff/index.ts';
import { makeTempDir, openTestStore } from '../store/sqlite/test-support.ts';
import { lintEnvironmentFromDirs } from './lint/index.ts';
import { ScriptStudio, StudioError } from './service.ts';

registerProducts(loadProductsFromDir('prompts/products'));
const files = loadScriptsFromDir('prompts/scripts');
const env = lintEnvironmentFromDirs('prompts/products', 'prompts/contracts');

function setup(dir = makeTempDir()) {
  const store = openTestStore(dir);
  const catalog = new ScriptCatalog(files, store.scripts);
  const studio = new ScriptStudio({ store, catalog, lintEnvironment: env, logger: silentLogger() });
  for (const current of studio.importDefaults(files)) catalog.setCurrent(current);
  return { store, catalog, studio, dir };
}

async function staffOf(store: ReturnType<typeof setup>['store'], role: 'script_editor' | 'admin' = 'script_editor') {
  const service = new StaffService({ store, logger: silentLogger(), idleMs: 60_000, absoluteMs: 600_000 });
  const account = await service.create({ email: `${role}@example.test`, role, password: 'correct horse battery staple' }, null);
  return { id: account.id, email: account.email, role: account.role };
}

const onboarding = files.find((file) => file.script.id === 'onboarding')!;
const changed = onboarding.source.replace("Hello, I'm Ava", 'Hi there, this is Ava');

describe('ScriptStudio', () => {
  it('imports each script file once, as version 1, and keeps a published version over the file', async () => {
    const first = setup();
    expect(first.store.scriptLibrary.currentAll().map((p) => [p.scriptId, p.version, p.publishedBy])).toEqual(
      files.map((file) => [file.script.id, 1, null]).sort(),
    );
    const staff = await staffOf(first.store);
    first.studio.publish('onboarding', staff, { source: changed });
    first.store.close();
    const again = setup(first.dir);
    expect(again.store.scriptLibrary.versions('onboarding').map((p) => p.version)).toEqual([2, 1]);
    expect(again.catalog.latest('onboarding')?.source).toBe(changed);
  });

  it('lets only an admin grant the identity exemption; an editor may keep one already granted', async () => {
    const { store, studio } = setup();
    const identity = files.find((file) => file.script.id === 'onboarding-identity')!;
    const exempt = identity.source.replace(/^id: onboarding-identity\n/m, 'id: onboarding-identity\ncompliance:\n  identity: before-session\n');
    expect(exempt).toContain('identity: before-session');
    const editor = await staffOf(store);
    expect(() => studio.publish('onboarding-identity', editor, { source: exempt })).toThrow(
      expect.objectContaining({ code: 'admin_required' }) as unknown as Error,
    );
    expect(store.scriptLibrary.versions('onboarding-identity')).toHaveLength(1);
    const admin = await staffOf(store, 'admin');
    expect(studio.publish('onboarding-identity', admin, { source: exempt }).version).toBe(2);
    // Granted once, the exemption may be kept by an editor's later wording changes.
    const reworded = exempt.replace("Hello, I'm Ava", 'Hi there, this is Ava');
    expect(reworded).not.toBe(exempt);
    expect(studio.publish('onboarding-identity', editor, { source: reworded }).version).toBe(3);
    // The shipped typed script was imported with its exemption: editors may publish its wording.
    expect(studio.publish('onboarding', editor, { source: changed }).version).toBe(2);
  });

  it('writes nothing when the access-log entry cannot be written (same transaction)', () => {
    const { store, catalog, studio } = setup();
    // No such staff account: the access log's foreign key refuses the entry.
    expect(() => studio.publish('onboarding', { id: 'stf_nobody', email: 'nobody@example.test' }, { source: changed })).toThrow(/FOREIGN KEY/);
    expect(store.scriptLibrary.versions('onboarding')).toHaveLength(1);
    expect(catalog.latest('onboarding')?.hash).toBe(onboarding.hash);
  });

  it('moves new sessions to the published version while the old one stays loadable by hash', async () => {
    const { store, catalog, studio } = setup();
    const staff = await staffOf(store);
    const published = studio.publish('onboarding', staff, { source: changed });
    expect(catalog.latest('onboarding')?.hash).toBe(published.hash);
    expect(catalog.pinned(onboarding.hash).source).toBe(onboarding.source);
    expect(store.accessLog.list({ staffId: staff.id }).map((entry) => [entry.action, entry.detail])).toContainEqual([
      'script.publish',
      { scriptId: 'onboarding', version: 2, hash: published.hash, previous: 1 },
    ]);
  });

  it('refuses to publish a draft with lint errors, naming them', async () => {
    const { store, studio } = setup();
    const staff = await staffOf(store);
    studio.saveDraft('onboarding', onboarding.source.replace('kind: consent', 'kind: say'), staff);
    let refused: unknown;
    try {
      studio.publish('onboarding', staff);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(StudioError);
    expect((refused as StudioError).code).toBe('lint_failed');
    expect((refused as StudioError).lint?.errors).toBeGreaterThan(0);
    expect(store.scriptLibrary.draft('onboarding')).not.toBeNull();
  });
});
