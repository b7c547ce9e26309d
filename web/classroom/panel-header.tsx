import { useEffect, useRef, type ReactNode } from 'react';
import { useStrings } from '../kit/lang-context.ts';
import { classroomStrings } from './strings.ts';

/**
 * The head of a panel opened from the board (a student's attempts, their server's checks): its
 * title, which takes the focus whenever the panel opens on something else (`focusKey`), what
 * stands beside it, and Close.
 */
export function PanelHeader({
  titleId,
  title,
  focusKey,
  closeTestId,
  onClose,
  children,
}: {
  titleId: string;
  title: string;
  focusKey: string;
  closeTestId: string;
  onClose(): void;
  children?: ReactNode;
}) {
  const t = useStrings(classroomStrings);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [focusKey]);
  return (
    <header className="class-attempts-header">
      <h3 id={titleId} ref={heading} tabIndex={-1}>
        {title}
      </h3>
      {children}
      <span className="toolbar-spacer" />
      <button type="button" className="button button-quiet" data-testid={closeTestId} onClick={onClose}>
        {t.dismiss}
      </button>
    </header>
  );
}
