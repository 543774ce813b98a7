/**
 * CodeMirror 6 with YAML highlighting and the server's lint shown inline (underlines, gutter
 * markers, hover messages) at the issue's line and column.
 */
import { useEffect, useRef } from 'react';
import { basicSetup } from 'codemirror';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import type { LintIssue } from './api.ts';
import { toDiagnostics } from './diagnostics.ts';

interface Props {
  /** The text to show; a different value replaces the document (e.g. another script was opened). */
  value: string;
  onChange(text: string): void;
  issues: readonly LintIssue[];
  /** Issues apply to this text (older results are not shown on newer text). */
  issuesFor: string;
  label: string;
}

export function YamlEditor({ value, onChange, issues, issuesFor, label }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const change = useRef(onChange);
  change.current = onChange;

  useEffect(() => {
    if (!host.current) return undefined;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          yaml(),
          lintGutter(),
          EditorView.contentAttributes.of({ 'aria-label': label, 'data-testid': 'studio-editor-content' }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) change.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is made once; `value` changes are applied below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const current = editor.state.doc.toString();
    if (current !== value) editor.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const text = editor.state.doc.toString();
    const diagnostics = text === issuesFor ? toDiagnostics(text, issues) : [];
    editor.dispatch(setDiagnostics(editor.state, diagnostics));
  }, [issues, issuesFor]);

  return <div className="studio-editor" ref={host} data-testid="studio-editor" />;
}
