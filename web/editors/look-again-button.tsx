import { useState } from 'react';
import { useStrings } from '../kit/lang-context.ts';
import { editorStrings } from './strings.ts';

/**
 * The button after an HTTP, gRPC, GraphQL or own-server cell's "not captured": its bytes can
 * reach the page seconds after the cell's first wait for them, and a click looks again
 * (`lookAgain`, from waitForExchangeAgainAfterMiss in console-kit/inspector-links.ts); once found,
 * the cell shows them and the inspector selects them (the own-server cell hands its run to the
 * lesson's exercises).
 */
export function LookAgainButton({ lookAgain }: { lookAgain(): Promise<unknown> }) {
  const t = useStrings(editorStrings);
  const [looking, setLooking] = useState(false);
  const look = async () => {
    setLooking(true);
    try {
      await lookAgain();
    } finally {
      setLooking(false);
    }
  };
  return (
    <button type="button" className="link-button" onClick={look} disabled={looking} title={t.lookAgainHint} data-testid="capture-look-again">
      {looking ? t.lookingAgain : t.lookAgain}
    </button>
  );
}
