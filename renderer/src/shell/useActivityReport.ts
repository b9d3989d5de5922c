import { useEffect } from 'react';
import { useContract } from '../contract/hooks';

/** Core's idle countdown needs to hear of input, but not of every key: at most this often. */
export const ACTIVITY_REPORT_MS = 30_000;

const INPUT_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

/**
 * Tells core the clinician is using the workstation (`session.activity`), at most every 30 s.
 * Core owns the timer and locks; this only reports.
 */
export const useActivityReport = (): void => {
  const client = useContract();
  useEffect(() => {
    let last = 0;
    const report = (): void => {
      const now = Date.now();
      if (now - last < ACTIVITY_REPORT_MS) {
        return;
      }
      last = now;
      client.call('session.activity', {}).catch(() => undefined);
    };
    for (const name of INPUT_EVENTS) {
      window.addEventListener(name, report, { passive: true, capture: true });
    }
    return () => {
      for (const name of INPUT_EVENTS) {
        window.removeEventListener(name, report, { capture: true });
      }
    };
  }, [client]);
};
