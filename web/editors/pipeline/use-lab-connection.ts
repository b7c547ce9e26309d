import { useEffect, useRef, useState } from 'react';
import { joinLab, type BrokerStatus, type LabStatus } from './lab-connection.ts';
import type { LabView, NotificationView } from './lab-state.ts';

/** Notifications the panel keeps, the newest last (as a console's log: the panel follows it). */
const NOTIFICATIONS_KEPT = 40;

export interface Delivered extends NotificationView {
  key: number;
}

/**
 * The page's one connection to the lab while the cell is shown (lab-connection.ts): the lab's
 * state as its event stream says it, the stream's and the broker's status, and the notifications.
 */
export function useLabConnection() {
  const [lab, setLab] = useState<LabView | null>(null);
  const [labState, setLabState] = useState<LabStatus>('connecting');
  const [brokerState, setBrokerState] = useState<BrokerStatus>('connecting');
  const [notifications, setNotifications] = useState<Delivered[]>([]);
  const connection = useRef<ReturnType<typeof joinLab> | null>(null);
  const nextKey = useRef(1);

  useEffect(() => {
    const joined = joinLab({
      state: setLab,
      labStatus: setLabState,
      brokerStatus: setBrokerState,
      notification: (notification) => setNotifications((current) => [...current, { ...notification, key: nextKey.current++ }].slice(-NOTIFICATIONS_KEPT)),
    });
    connection.current = joined;
    return () => {
      joined.leave();
      connection.current = null;
    };
  }, []);

  /** The page's broker client, while the lab is joined. */
  const broker = () => connection.current?.broker() ?? null;
  /** The state an answer to the page's change carried: shown unless the event stream brought a newer one first. */
  const answered = (state: LabView) => connection.current?.answered(state);
  return { lab, answered, labState, brokerState, notifications, broker };
}
