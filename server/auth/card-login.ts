import { randomBytes, X509Certificate } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, generateKeyPair, importX509, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';
import { verifyCertificate } from '../../shared/signing';
import { DirectoryMappingError } from '../directory/directory-mapping-error';
import { FhirError } from '../fhir/operation-outcome';
import type { AuditWriter } from '../pipeline/audit-writer';
import { anonymous, type Principal } from '../pipeline/principal';
import { ROLE_CODES } from '../directory/directory-rules';
import { ChallengeStore } from './challenge-store';
import { RateLimiter, ThrottledError, type RateLimitOptions } from './rate-limit';

/**
 * Card login, HelseID-like in our own terms: the server issues a one-time challenge; the
 * workstation returns it in a JWT signed (RS256) with the card's authentication key, the
 * certificate in the x5c header (as a private_key_jwt client assertion). The server checks the
 * certificate (chain to a trusted root, validity, digitalSignature key usage, CRL), the signature,
 * the audience (this deployment's public origin, see journal-audience.ts) and the challenge (once,
 * unexpired), maps the HPR number to a Practitioner and its role, and issues a 15-minute ES256
 * access token, issued by and for that same origin. Renewal is a new login while the card is in.
 * Every attempt, let in or refused, is written to the audit log with a reason code.
 */
export const ACCESS_TOKEN_SECONDS = 15 * 60;

/**
 * Per client address, for /auth/challenge and /auth/token each. A clinic behind one NAT address
 * logs in at the start of the day (the burst) and renews every ~15 minutes per workstation (well
 * under the steady rate); a flood from one address is answered 429 within a second.
 */
export const LOGIN_RATE_LIMIT: RateLimitOptions = { burst: 60, perSecond: 2, maxClients: 10_000 };

export interface Clinician {
  practitionerId: string;
  organizationId: string | undefined;
  role: string | undefined;
}

export interface CardLoginOptions {
  trustedRoots: readonly Uint8Array[];
  crls: readonly Uint8Array[];
  /** The practitioner (and role) for an HPR number; undefined when the journal does not know them. */
  /**
   * The practitioner (and role) for an HPR number, at the organisation the login names when the
   * clinician has roles at several; undefined when the journal does not know them. Throws a
   * DirectoryMappingError when the directory's mapping is ambiguous or dangling.
   */
  findClinician: (hpr: string, organizationId?: string) => Promise<Clinician | undefined>;
  /**
   * This deployment's audience, journalAudience(public URL). A function because a server without
   * a configured URL knows its address only once it listens.
   */
  audience: () => string;
  /** Where every login attempt is recorded (interaction `login`), with its reason code. */
  audit: AuditWriter;
  now?: () => Date;
  /** Demo mode only: accept the software TEST card (OU=TEST). Refused everywhere else. */
  acceptTestCards?: boolean;
  /** Per-address limits; LOGIN_RATE_LIMIT by default. */
  rateLimit?: RateLimitOptions;
  /** Spent challenges remembered at most (100,000 by default); past it logins wait for some to expire. */
  maxSpentChallenges?: number;
}

export interface CardLogin {
  /**
   * `audience` lets a workstation diagnose a wrong address; it must still sign for the journal it
   * meant. `client` is the caller's address, for the rate limit (a ThrottledError past it).
   */
  issueChallenge(client: string): { challenge: string; expiresAt: string; audience: string };
  login(assertion: unknown, client: string): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }>;
  /** The principal behind a bearer token; a 401 FhirError without a valid one. */
  authenticate(authorization: string | undefined): Promise<Principal>;
}

/**
 * A refused login with its stable reason code for the audit log: malformed, challenge-unknown,
 * challenge-expired, challenge-replayed, certificate-refused:<code>, test-card, unusable-key,
 * bad-signature, wrong-audience, unknown-clinician, busy (the spent set is full). Besides these
 * the audit log has ok, throttled (the rate limit, before any of this) and error (a failure of
 * the server itself).
 */
class LoginRefused extends FhirError {
  constructor(
    readonly reason: string,
    message: string,
    status = 401,
    code: 'login' | 'forbidden' | 'too-costly' = 'login',
  ) {
    super(status, code, message);
  }
}

const refuse = (reason: string, message: string): LoginRefused => new LoginRefused(reason, message);
const unauthorized = (message: string): FhirError => new FhirError(401, 'login', message);

const CHALLENGE_REFUSED = 'The login challenge is unknown, expired or already used. Ask for a new one.';
const challengeReason = { unknown: 'challenge-unknown', expired: 'challenge-expired', spent: 'challenge-replayed' } as const;

/** Long enough for any real distinguished name; the certificate is not verified yet when this is read. */
const MAX_SUBJECT = 512;

/** The certificate's subject for the audit log, when it parses; never the assertion itself. */
const subjectOf = (der: Buffer): string | undefined => {
  try {
    return new X509Certificate(der).subject.split('\n').join(', ').slice(0, MAX_SUBJECT);
  } catch {
    return undefined;
  }
};

/** The challenge the assertion claims, read without trusting it yet. */
const decodeChallenge = (assertion: string): string | undefined => {
  try {
    const payload = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof payload.challenge === 'string' ? payload.challenge : undefined;
  } catch {
    return undefined;
  }
};

export const createCardLogin = async ({
  trustedRoots,
  crls,
  findClinician,
  audience,
  audit,
  now = () => new Date(),
  acceptTestCards = false,
  rateLimit = LOGIN_RATE_LIMIT,
  maxSpentChallenges,
}: CardLoginOptions): Promise<CardLogin> => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const challenges = new ChallengeStore(now, maxSpentChallenges === undefined ? {} : { maxSpent: maxSpentChallenges });
  // One bucket set per endpoint: a workstation's challenge and its token are one login each.
  const challengeLimit = new RateLimiter(rateLimit, () => now().getTime());
  const tokenLimit = new RateLimiter(rateLimit, () => now().getTime());

  const certificateFrom = (assertion: string): Buffer => {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(assertion);
    } catch {
      throw refuse('malformed', 'The login assertion is not a JWT.');
    }
    const [first] = header.x5c ?? [];
    if (header.alg !== 'RS256' || typeof first !== 'string') {
      throw refuse('malformed', 'The login assertion must be RS256 with the card certificate in x5c.');
    }
    return Buffer.from(first, 'base64');
  };

  /** The checks of one login, in order of cost: each refusal throws a LoginRefused. */
  const attempt = async (assertion: unknown, seen: { subject?: string }): Promise<{ practitionerId: string; token: string }> => {
    if (typeof assertion !== 'string' || assertion.length > 16_384) {
      throw refuse('malformed', 'Send the signed login assertion.');
    }
    const der = certificateFrom(assertion);
    const subject = subjectOf(der);
    if (subject !== undefined) {
      seen.subject = subject;
    }
    // Security: the cheap check first. A challenge this server did not issue (its MAC), an expired
    // or a spent one is refused before any certificate or signature work.
    const claimed = decodeChallenge(assertion);
    const open = claimed === undefined ? 'unknown' : challenges.check(claimed);
    if (open) {
      throw refuse(challengeReason[open], CHALLENGE_REFUSED);
    }
    const check = await verifyCertificate({ certificate: der, trustedRoots, crls, at: now(), usage: 'authentication' });
    if (!check.ok) {
      throw refuse(`certificate-refused:${check.code}`, `The card certificate was refused (${check.code}): ${check.message}`);
    }
    if (check.holder.test && !acceptTestCards) {
      throw refuse('test-card', 'This is a TEST card. It is accepted only by a journal server running in demo mode.');
    }
    let key: CryptoKey;
    try {
      key = await importX509(new X509Certificate(der).toString(), 'RS256');
    } catch {
      throw refuse('unusable-key', 'The card certificate has no usable RSA key.');
    }
    let payload: JWTPayload;
    try {
      // A workstation clock a little ahead of ours is not a forged login.
      ({ payload } = await jwtVerify(assertion, key, { algorithms: ['RS256'], currentDate: now(), maxTokenAge: '2m', clockTolerance: 60 }));
    } catch {
      throw refuse('bad-signature', 'The login signature does not verify.');
    }
    // Exactly our origin, one string: an assertion signed for another journal (one that relays
    // it here with our challenge) or for the old constant audience is not a login to us.
    const ours = audience();
    if (payload.aud !== ours) {
      throw refuse('wrong-audience', `This login was meant for another journal (audience ${JSON.stringify(payload.aud ?? null)}); this journal is ${ours}.`);
    }
    const { challenge } = payload;
    const spent = typeof challenge === 'string' ? challenges.spend(challenge) : 'unknown';
    if (spent === 'full') {
      // Fails closed: forgetting a spent challenge early would let its assertion be replayed.
      throw new LoginRefused('busy', 'Too many logins in the last minute; try again in a minute.', 503, 'too-costly');
    }
    if (spent) {
      throw refuse(challengeReason[spent], CHALLENGE_REFUSED);
    }
    const hpr = check.holder.hpr;
    // Signed with the rest: a clinician with roles at several organisations says which one this login is for.
    const organization = typeof payload.organization === 'string' ? payload.organization.replace(/^Organization\//, '') : undefined;
    let clinician: Clinician | undefined;
    try {
      clinician = hpr ? await findClinician(hpr, organization) : undefined;
    } catch (error) {
      // The directory's own refusal (ambiguous or dangling mapping), audited with its reason.
      if (error instanceof DirectoryMappingError) {
        throw new LoginRefused(`directory:${error.reason}`, error.message, 403, 'forbidden');
      }
      throw error;
    }
    if (!hpr || !clinician) {
      throw new LoginRefused('unknown-clinician', 'The card holder is not a clinician known to this journal.', 403, 'forbidden');
    }
    const token = await new SignJWT({ hpr, ...(clinician.organizationId ? { org: clinician.organizationId } : {}), ...(clinician.role ? { role: clinician.role } : {}) })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject(`Practitioner/${clinician.practitionerId}`)
      .setIssuer(ours)
      .setAudience(ours)
      .setIssuedAt(Math.floor(now().getTime() / 1000))
      .setExpirationTime(Math.floor(now().getTime() / 1000) + ACCESS_TOKEN_SECONDS)
      .setJti(randomBytes(16).toString('base64url'))
      .sign(privateKey);
    return { practitionerId: clinician.practitionerId, token };
  };

  return {
    issueChallenge(client) {
      const take = challengeLimit.take(client);
      if (!take.allowed) {
        throw new ThrottledError(take.retryAfterSeconds);
      }
      const { challenge, expiresAt } = challenges.issue();
      return { challenge, expiresAt: expiresAt.toISOString(), audience: audience() };
    },

    async login(assertion, client) {
      const take = tokenLimit.take(client);
      if (!take.allowed) {
        // Security: one audit row per run of refusals, not per request, so a flood can not turn
        // into a flood of audit writes. The assertion is not read at all.
        if (take.firstRefusal) {
          await audit.record([{ principal: anonymous, interaction: 'login', outcome: 429, reason: 'throttled' }]);
        }
        throw new ThrottledError(take.retryAfterSeconds);
      }
      // Security: the audit row holds the reason and the certificate subject, never the assertion.
      const seen: { subject?: string } = {};
      let result: { practitionerId: string; token: string };
      try {
        result = await attempt(assertion, seen);
      } catch (error) {
        const refused = error instanceof LoginRefused ? error : undefined;
        await audit.record([
          {
            principal: anonymous,
            interaction: 'login',
            outcome: refused?.status ?? 500,
            reason: refused?.reason ?? 'error',
            ...(seen.subject === undefined ? {} : { subject: seen.subject }),
          },
        ]);
        throw error;
      }
      // A login the audit log can not record does not happen: the token is not handed out.
      await audit.record([
        { principal: { kind: 'practitioner', id: `Practitioner/${result.practitionerId}` }, interaction: 'login', outcome: 200, reason: 'ok', ...(seen.subject === undefined ? {} : { subject: seen.subject }) },
      ]);
      return { access_token: result.token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS };
    },

    async authenticate(authorization) {
      const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(authorization ?? '');
      if (!match?.[1]) {
        throw unauthorized('Log in with your card: this request carries no access token.');
      }
      try {
        const { payload } = await jwtVerify(match[1], publicKey, { audience: audience(), issuer: audience(), algorithms: ['ES256'], currentDate: now() });
        if (typeof payload.sub !== 'string') {
          throw new Error('no subject');
        }
        // The role login chose travels in the signed token: the access rules trust it for 15 minutes.
        const org = typeof payload.org === 'string' ? payload.org.replace(/^Organization\//, '') : undefined;
        const role = ROLE_CODES.find((code) => code === payload.role);
        return {
          kind: 'practitioner',
          id: payload.sub,
          ...(typeof payload.hpr === 'string' ? { hpr: payload.hpr } : {}),
          ...(org ? { organizationId: org } : {}),
          ...(role ? { role } : {}),
        };
      } catch {
        throw unauthorized('The access token is not valid or has expired. Log in with your card again.');
      }
    },
  };
};
