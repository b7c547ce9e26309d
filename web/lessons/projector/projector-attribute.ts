import { useEffect } from 'react';
import { useProjectorMode } from '../../kit/projector-setting.ts';
import './projector.css';

/**
 * Projector mode marks <html data-projector> while a lesson is open (projector.css does the
 * rest). Apart from the presenter's controls, which load after the lesson's text: the text must
 * come up at the projector's size at once.
 */
export function useProjectorAttribute(): void {
  const projector = useProjectorMode();
  useEffect(() => {
    const root = document.documentElement;
    if (projector) root.dataset.projector = '';
    else delete root.dataset.projector;
    return () => {
      delete root.dataset.projector;
    };
  }, [projector]);
}
