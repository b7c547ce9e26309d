import { useCallback, useEffect, useRef, useState } from 'react';
import { useStrings } from '../../kit/lang-context.ts';
import { setProjectorMode, useProjectorMode } from '../../kit/projector-setting.ts';
import { cellToRun, goToSection, runButton, shownHeading } from './presenter-navigation.ts';
import { TOGGLE_INSPECTOR_EVENT, isTypingTarget, presenterAction, type PresenterAction } from './presenter-keys.ts';
import { projectorStrings } from './strings.ts';

/**
 * What the presenter's keys and buttons do: step through sections, run the cell in view, show the
 * inspector, switch projector mode, open the help (`helpRef`: its dialog). `announcement` says
 * what ran, for a screen reader.
 */
export function usePresenterActions() {
  const t = useStrings(projectorStrings);
  const projector = useProjectorMode();
  const helpRef = useRef<HTMLDialogElement>(null);
  const [announcement, setAnnouncement] = useState('');

  const toggleProjector = useCallback(() => {
    // the text reflows at the other size: the section being shown stays at the top
    const shown = shownHeading();
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

  return { projector, helpRef, announcement, toggleProjector, openHelp };
}
