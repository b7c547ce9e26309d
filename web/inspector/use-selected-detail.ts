import { useMemo } from 'react';
import type { CaptureSnapshot } from './capture-store.ts';
import { exchangeSections, messageSections, noteSections, selectedMessageIn, type Selection } from './exchange-sections.ts';
import type { InspectorStrings } from './strings.ts';

/** What the selection names in the snapshot (its connection, its exchange if it is one) and the detail's sections for it. */
export function useSelectedDetail(snapshot: CaptureSnapshot, selection: Selection | null, t: InspectorStrings) {
  const view = selection ? snapshot.connections.find((candidate) => candidate.connection.id === selection.conn) : undefined;
  const selectedExchange = view && selection && 'index' in selection ? view.exchanges.find((exchange) => exchange.index === selection.index) : undefined;
  const selectedNote = view && selection && 'note' in selection ? view.notes[selection.note] : undefined;
  const selectedMessage = view ? selectedMessageIn(view.messages, selection) : undefined;
  const sections = useMemo(() => {
    if (!view) return null;
    if (selectedExchange) return exchangeSections(selectedExchange, view, t);
    if (selectedNote) return noteSections(selectedNote, view, t);
    if (selectedMessage) return messageSections(selectedMessage, view, t);
    return null;
  }, [view, selectedExchange, selectedNote, selectedMessage, t]);
  return { view, selectedExchange, sections };
}
