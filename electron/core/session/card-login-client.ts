import { createHash } from 'node:crypto';
import { sha256DigestInfo } from '../card/digest-info';
import type { SigningCard } from '../card/signing-card';

/**
 * The audience a login names: the origin of the journal the workstation means to log in to
 * (scheme://host[:port], lower-case host, default port dropped, no path), so that journal alone
 * accepts it. Same rule as server/auth/journal-audience.ts (core may not import the server;
 * scripts/integration checks that the two agree).
 */
export const journalAudience = (url: string): string => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Not a journal URL: "${url}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`A journal URL is http(s), got "${url}"`);
  }
  return parsed.origin;
};

export interface AccessToken {
  accessToken: string;
  expiresAt: Date;
}

export class LoginError extends Error {
  override readonly name = 'LoginError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/**
 * The workstation's half of card login: fetch a challenge, sign it into an RS256 JWT with the
 * card's authentication key (certificate in x5c), trade it for an access token. The card must
 * already be logged in with the PIN; the PIN never comes here.
 */
export const loginWithCard = async ({
  apiBase,
  card,
  fetchImpl = fetch,
  now = () => new Date(),
}: {
  /** The server root, e.g. http://127.0.0.1:8080 (the FHIR base is apiBase + /fhir). */
  apiBase: string;
  card: SigningCard;
  fetchImpl?: typeof fetch;
  now?: () => Date;
}): Promise<AccessToken> => {
  const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const response = await fetchImpl(`${apiBase}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/fhir+json, application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok) {
      const issue = (answer.issue as { diagnostics?: string }[] | undefined)?.[0];
      throw new LoginError(response.status, issue?.diagnostics ?? `login failed (${response.status})`);
    }
    return answer;
  };
  let audience: string;
  try {
    audience = journalAudience(apiBase);
  } catch (error) {
    throw new LoginError(0, error instanceof Error ? error.message : String(error));
  }
  const { challenge, audience: claimed } = await post('/auth/challenge', {});
  const certificate = card.certificates().find((c) => c.kind === 'authentication');
  if (typeof challenge !== 'string' || !certificate) {
    throw new LoginError(0, certificate ? 'The server sent no challenge.' : 'The card has no authentication certificate.');
  }
  // The server's word is only a diagnosis, never what we sign for: a journal relaying another's
  // challenge would name that one. Not signing at all is the clearer answer to a mismatch.
  if (typeof claimed === 'string' && claimed !== audience) {
    throw new LoginError(0, `The journal at ${audience} calls itself ${claimed}: check the journal address (or the server's --public-url). Not logged in.`);
  }
  const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c: [certificate.der.toString('base64')] }))}.${b64url(
    JSON.stringify({ challenge, aud: audience, iat: Math.floor(now().getTime() / 1000) }),
  )}`;
  const signature = card.signDigestInfo('authentication', sha256DigestInfo(createHash('sha256').update(input).digest()));
  const token = await post('/auth/token', { assertion: `${input}.${b64url(signature)}` });
  if (typeof token.access_token !== 'string' || typeof token.expires_in !== 'number') {
    throw new LoginError(0, 'The server answered without an access token.');
  }
  return { accessToken: token.access_token, expiresAt: new Date(now().getTime() + token.expires_in * 1000) };
};
