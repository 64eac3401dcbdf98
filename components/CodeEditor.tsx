"use client";

import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { cpp } from "@codemirror/lang-cpp";
import { rust } from "@codemirror/lang-rust";
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { EditorState, type Extension } from "@codemirror/state";
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";
import { useEffect, useRef } from "react";

/** The language of a module file by its name: Rust, C (sources and headers), or plain text (Makefile, Kbuild). */
function languageOf(path: string): Extension[] {
  if (path.endsWith(".rs")) return [rust()];
  if (/\.(c|h)$/.test(path)) return [cpp()];
  return [];
}

/**
 * A CodeMirror 6 editor for one file, bundled with the app (no CDN, works
 * offline). Uncontrolled: it owns the text while mounted and reports every
 * change; a different `docKey` (another file) starts a new editor state.
 */
export function CodeEditor({ docKey, path, value, onChange, testId }: { docKey: string; path: string; value: string; onChange: (text: string) => void; testId?: string }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed.current(u.state.doc.toString());
          }),
          EditorView.theme({ "&": { fontSize: "13px", height: "28rem" }, ".cm-scroller": { fontFamily: "ui-monospace, monospace" } }),
          ...languageOf(path),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // A new editor per file; typing never recreates it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [docKey, path]);

  // Text replaced from outside (a template, an upload) while this file is open.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  return <div ref={host} data-testid={testId} data-path={path} className="overflow-hidden rounded border border-zinc-300 bg-white" />;
}
