import { useCallback, useEffect, useState } from 'react';
import type { HealthProblem } from '../../../shared/contract';
import { useContract } from '../contract/hooks';

/**
 * What stops or limits the workstation (`app.health`), asked at start and again whenever the
 * session state changes (a cache that would not open shows only after login).
 */
export const useHealth = (sessionState: string | undefined): { problems: HealthProblem[]; retry: () => void } => {
  const client = useContract();
  const [problems, setProblems] = useState<HealthProblem[]>([]);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    client.call('app.health', {}).then(
      (health) => current && setProblems(health.problems),
      // No answer from core at all is the transport's to show (the session card says so).
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [client, sessionState, round]);
  const retry = useCallback(() => setRound((n) => n + 1), []);
  return { problems, retry };
};
