import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { useStrings } from '../../kit/lang-context.ts';
import { setProjectorMode, useProjectorMode } from '../../kit/projector-setting.ts';
import {
  PRESENTER_SHORTCUTS,
  TOGGLE_INSPECTOR_EVENT,
  currentSection,
  isTypingTarget,
  presenterAction,
  sectionTarget,
  type PresenterAction,
} from './presenter-keys.ts';
import { projectorStrings } from './strings.ts';
import './projector.css';

/** The sections a presenter steps through: the lesson's h2 headings (they carry ids). */
const SECTION_HEADINGS = 'article.lesson h2[id]';

/** Where a heading scrolled to the top rests: the page's scroll padding (below the sticky header). */
function restingTop(): number {
  return parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0;
}

function sectionHeadings(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>(SECTION_HEADINGS)];
}

function showHeading(heading: HTMLElement): void {
  heading.scrollIntoView({ block: 'start' });
  // the keyboard's place moves with the view: Tab continues from this section, and the next
  // "run" is this section's cell, not the one that had the focus before
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  heading.focus({ preventScroll: true });
}

function goToSection(direction: 'next' | 'previous'): void {
  const headings = sectionHeadings();
  const target = sectionTarget(
    headings.map((heading) => heading.getBoundingClientRect().top),
    restingTop(),
    direction,
  );
  if (target === null) return;
  if (target !== 'start') {
    showHeading(headings[target]);
    return;
  }
  window.scrollTo({ top: 0 });
  const title = document.querySelector<HTMLElement>('.lesson-header h1');
  if (title) {
    if (!title.hasAttribute('tabindex')) title.setAttribute('tabindex', '-1');
    title.focus({ preventScroll: true });
  }
}

const follows = (a: Node, b: Node) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);

/** The cell the focus is in; else the first cell of the section being shown; else the first one in view. */
function cellToRun(): HTMLElement | null {
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.closest<HTMLElement>('.cell-slot') : null;
  if (focused) return focused;
  const slots = [...document.querySelectorAll<HTMLElement>('article.lesson .cell-slot')];
  const headings = sectionHeadings();
  const index = currentSection(
    headings.map((heading) => heading.getBoundingClientRect().top),
    restingTop(),
  );
  const start = index >= 0 ? headings[index] : null;
  const end = headings[index + 1] ?? null;
  const inSection = slots.find((slot) => (!start || follows(start, slot)) && (!end || follows(slot, end)));
  if (inSection) return inSection;
  return (
    slots.find((slot) => {
      const box = slot.getBoundingClientRect();
      return box.bottom > restingTop() && box.top < window.innerHeight;
    }) ?? null
  );
}

/** A cell's main action: its Run button, or (consoles) its first enabled primary button: Connect, Start. */
function runButton(slot: HTMLElement): HTMLButtonElement | null {
  const run = slot.querySelector<HTMLButtonElement>('[data-testid="cell-run"]:not(:disabled)');
  return run ?? slot.querySelector<HTMLButtonElement>('button.button-primary:not(:disabled)');
}

/**
 * The presenter's controls on a lesson page: the projector-mode toggle, the key legend and the
 * "?" help, and the keyboard flow itself. Projector mode marks <html data-projector> while a
 * lesson is open (projector-attribute.ts; projector.css does the rest; the editors and the hex
 * view read the setting).
 */
export function PresenterControls() {
  const t = useStrings(projectorStrings);
  const projector = useProjectorMode();
  const helpRef = useRef<HTMLDialogElement>(null);
  const [announcement, setAnnouncement] = useState('');

  const toggleProjector = useCallback(() => {
    // the text reflows at the other size: the section being shown stays at the top
    const headings = sectionHeadings();
    const shown =
      headings[
        currentSection(
          headings.map((heading) => heading.getBoundingClientRect().top),
          restingTop(),
        )
      ];
    setProjectorMode(!projector);
    if (shown) requestAnimationFrame(() => shown.scrollIntoView({ block: 'start' }));
  }, [projector]);

  const openHelp = useCallback(() => {
    const dialog = helpRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const perform = useCallback(
    (action: PresenterAction) => {
      switch (action) {
        case 'next-section':
          return goToSection('next');
        case 'previous-section':
          return goToSection('previous');
        case 'run-cell': {
          const slot = cellToRun();
          const button = slot && runButton(slot);
          if (!slot || !button) {
            setAnnouncement(t.nothingToRun);
            return;
          }
          slot.scrollIntoView({ block: 'nearest' });
          button.click();
          setAnnouncement(t.ran(slot.id.replace(/^cell-/, '')));
          return;
        }
        case 'toggle-inspector':
          window.dispatchEvent(new Event(TOGGLE_INSPECTOR_EVENT));
          return;
        case 'toggle-projector':
          return toggleProjector();
        case 'show-help':
          return openHelp();
      }
    },
    [t, toggleProjector, openHelp],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || helpRef.current?.open) return;
      // another dialog (the reset confirmation) keeps its keys
      if (document.querySelector('[role="dialog"]:not(dialog)')) return;
      const action = presenterAction(event, isTypingTarget(event.target instanceof Element ? (event.target as HTMLElement) : null));
      if (!action) return;
      event.preventDefault();
      perform(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [perform]);

  return (
    <>
      <div className="presenter-bar" role="group" aria-label={t.presenterTools} data-testid="presenter-bar">
        <button
          type="button"
          className="button button-quiet presenter-toggle"
          data-testid="projector-toggle"
          aria-pressed={projector}
          aria-keyshortcuts="Alt+P"
          title={t.projectorModeHint}
          onClick={toggleProjector}
        >
          <span className="presenter-toggle-icon" aria-hidden="true" />
          {t.projectorMode}
        </button>
        <button
          type="button"
          className="button button-quiet presenter-help-button"
          data-testid="presenter-help-button"
          aria-label={t.keyboardShortcuts}
          aria-keyshortcuts="?"
          title={t.keyboardShortcuts}
          onClick={openHelp}
        >
          ?
        </button>
        {projector && (
          <ul className="presenter-legend" aria-label={t.legendLabel} data-testid="presenter-legend">
            {PRESENTER_SHORTCUTS.map(({ action, keys }) => (
              <li key={action}>
                <Keys keys={keys} /> {t.legend[action]}
              </li>
            ))}
          </ul>
        )}
      </div>
      <dialog ref={helpRef} className="presenter-help" data-testid="presenter-help" aria-labelledby="presenter-help-title">
        <h2 id="presenter-help-title">{t.shortcutsTitle}</h2>
        <p>{t.shortcutsIntro}</p>
        <dl className="presenter-help-keys">
          {PRESENTER_SHORTCUTS.map(({ action, keys }) => (
            <Fragment key={action}>
              <dt>
                <Keys keys={keys} />
              </dt>
              <dd>{t.actions[action]}</dd>
            </Fragment>
          ))}
        </dl>
        <form method="dialog">
          <button type="submit" className="button" data-testid="presenter-help-close" autoFocus>
            {t.close}
          </button>
        </form>
      </dialog>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </>
  );
}

function Keys({ keys }: { keys: readonly string[] }) {
  return (
    <span className="presenter-keys">
      {keys.map((key, index) => (
        <Fragment key={key}>
          {index > 0 && '+'}
          <kbd>{key}</kbd>
        </Fragment>
      ))}
    </span>
  );
}
