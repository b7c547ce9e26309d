import { createContext, useContext, type ComponentType } from 'react';
import type { Selection } from '../inspector/exchange-sections.ts';

/** What the lesson dock hands its inspector: the exchange to show, and where the reader's selection goes. */
export interface DockInspectorProps {
  focus?: Selection;
  onSelectionChange?(selection: Selection | null): void;
  /** the reader picked what to see in the inspector itself (web/lessons/inspector-focus.ts) */
  onPick?(): void;
}

/**
 * What the classroom puts into a lesson's page (and the quiz's, and "My server"'s) without the page
 * importing the classroom: web/classroom/ builds on web/lessons/, so the lessons never import it
 * back (tests/architecture/public-faces.test.ts). The app shell, which loads both, provides these
 * (web/app/app.tsx); each is a chunk of the classroom's, fetched only when a page asks for it.
 */
export interface ClassroomParts {
  /** the dock's inspector: in class, the student's own captures and the teacher's (web/classroom/class-inspector.tsx) */
  DockInspector: ComponentType<DockInspectorProps>;
  /** the tools under a cell: the leading teacher sends it, a student takes the teacher's version (web/classroom/class-cell-tools.tsx) */
  loadCellTools(): Promise<ComponentType<{ saveKey: string }>>;
  /**
   * «Показать классу» beside a shared capture (its page, the Share panel once shared): in the tab
   * that leads a class, the followers open it; nothing elsewhere (web/classroom/show-capture-to-class.tsx)
   */
  ShowCaptureToClass: ComponentType<{ captureId: string; openHere?: boolean }>;
}

export const ClassroomPartsContext = createContext<ClassroomParts | null>(null);

/** The classroom's parts the app shell provides; a page rendered outside the shell is a mistake, said at once. */
export function useClassroomParts(): ClassroomParts {
  const parts = useContext(ClassroomPartsContext);
  if (parts === null) throw new Error('no ClassroomPartsContext: lesson pages render inside the app shell (web/app/app.tsx), which provides it');
  return parts;
}
