import { useEffect, useRef, useState } from 'react';

/**
 * The connection a console has open now, and the state its toolbar shows. A socket's late events
 * (a close after the student connected again) must not touch the new one: handlers ask
 * `isCurrent(connection)` first. Leaving the page ends the connection with `end`.
 */
export function useLiveConnection<C, S extends string>(initial: S, liveStates: readonly S[], end: (connection: C) => void) {
  const [state, setState] = useState<S>(initial);
  const current = useRef<C | null>(null);
  const ending = useRef(end);
  ending.current = end;
  useEffect(
    () => () => {
      if (current.current) ending.current(current.current);
      current.current = null;
    },
    [],
  );
  return {
    state,
    setState,
    /** connecting, connected or about to close: the fields that shaped the connection are locked */
    live: liveStates.includes(state),
    current,
    isCurrent: (connection: C) => current.current === connection,
  };
}
