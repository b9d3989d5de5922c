import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Security related: who may talk to the dev host. The host prints a launch link with a random
 * token; the first request that presents it gets a session cookie and the token is spent, so a link
 * left in a terminal scroll-back or browser history cannot be used again. Every later request and
 * the contract WebSocket must carry that session cookie (and, for the socket, the host's own Origin).
 */
export const SESSION_COOKIE = 'akson_session';

const newSecret = (): string => randomBytes(32).toString('base64url');

/** Equal-time comparison of two strings of any length (both hashed to the same size first). */
const sameSecret = (a: string, b: string): boolean =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

export class LaunchSessions {
  readonly launchToken = newSecret();
  private spent = false;
  private readonly sessions = new Set<string>();

  /** Trades the launch token for a session id, once. Returns null for a wrong or spent token. */
  redeem(token: string | null): string | null {
    if (this.spent || token === null || !sameSecret(token, this.launchToken)) {
      return null;
    }
    this.spent = true;
    const session = newSecret();
    this.sessions.add(session);
    return session;
  }

  isValidSession(session: string | undefined): boolean {
    if (session === undefined) {
      return false;
    }
    for (const known of this.sessions) {
      if (sameSecret(session, known)) {
        return true;
      }
    }
    return false;
  }
}

/** Reads one cookie from a Cookie header; undefined when absent or malformed. */
export const readCookie = (header: string | undefined, name: string): string | undefined => {
  if (!header) {
    return undefined;
  }
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      return part.slice(eq + 1).trim();
    }
  }
  return undefined;
};
