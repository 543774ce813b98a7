import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir, openTestStore } from './test-support.ts';

const AT = '2025-01-01T00:00:00.000Z';
const source = (greeting: string) => `id: demo\ntitle: { en: ${greeting} }\n`;
const editor = { id: 'stf_1', email: 'editor@example.test' };

describe('script library', () => {
  it('numbers publications per script, keeps the source by hash and finds the current one', () => {
    const store = openTestStore(makeTempDir());
    const v1 = store.scriptLibrary.publish({ scriptId: 'demo', source: source('One'), by: null, at: AT, note: 'imported' });
    const v2 = store.scriptLibrary.publish({ scriptId: 'demo', source: source('Two'), by: editor, at: AT, note: null });
    const other = store.scriptLibrary.publish({ scriptId: 'other', source: source('One'), by: editor, at: AT, note: null });
    expect([v1.version, v2.version, other.version]).toEqual([1, 2, 1]);
    expect(other.hash).toBe(v1.hash);
    expect(store.scripts.get(v2.hash)?.source).toBe(source('Two'));
    expect(store.scriptLibrary.current('demo')).toEqual(v2);
    expect(store.scriptLibrary.currentAll().map((p) => [p.scriptId, p.version])).toEqual([
      ['demo', 2],
      ['other', 1],
    ]);
    expect(store.scriptLibrary.versions('demo').map((p) => [p.version, p.publishedByEmail])).toEqual([
      [2, 'editor@example.test'],
      [1, null],
    ]);
    expect(store.scriptLibrary.version('demo', 3)).toBeNull();
  });

  it('refuses to change or delete a publication', () => {
    const dir = makeTempDir();
    const store = openTestStore(dir);
    store.scriptLibrary.publish({ scriptId: 'demo', source: source('One'), by: editor, at: AT, note: null });
    const db = new Database(path.join(dir, 'attest.db'));
    try {
      expect(() => db.prepare("UPDATE script_publications SET note = 'x'").run()).toThrow(/immutable/);
      expect(() => db.prepare('DELETE FROM script_publications').run()).toThrow(/immutable/);
      expect(() => db.prepare("INSERT OR REPLACE INTO script_publications (script_id, version, hash, published_at) SELECT script_id, version, hash, published_at FROM script_publications").run()).toThrow(/immutable/);
    } finally {
      db.close();
    }
  });

  it('keeps one draft per script, replaced on save', () => {
    const store = openTestStore(makeTempDir());
    store.scriptLibrary.saveDraft({ scriptId: 'demo', source: 'a', savedBy: editor.id, savedByEmail: editor.email, savedAt: AT });
    store.scriptLibrary.saveDraft({ scriptId: 'demo', source: 'b', savedBy: editor.id, savedByEmail: editor.email, savedAt: AT });
    expect(store.scriptLibrary.draft('demo')?.source).toBe('b');
    expect(store.scriptLibrary.drafts()).toHaveLength(1);
    store.scriptLibrary.deleteDraft('demo');
    expect(store.scriptLibrary.draft('demo')).toBeNull();
  });
});
