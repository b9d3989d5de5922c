import type { Pkcs11Module } from './pkcs11-card';

/**
 * Notices a card leaving its reader: polls the token list (PKCS#11 has no portable event that
 * every middleware implements) and calls `onRemoved` once, within `intervalMs` of the removal.
 * The session then locks the screen and drops its token (the session issue wires that up).
 */
export const watchCardPresence = ({
  module,
  label,
  onRemoved,
  intervalMs = 500,
}: {
  module: Pkcs11Module;
  label: string;
  onRemoved: () => void;
  intervalMs?: number;
}): (() => void) => {
  let stopped = false;
  const timer = setInterval(() => {
    let present: boolean;
    try {
      present = module.tokens().some((token) => token.label === label);
    } catch {
      present = false;
    }
    if (!present && !stopped) {
      stopped = true;
      clearInterval(timer);
      onRemoved();
    }
  }, intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
};
