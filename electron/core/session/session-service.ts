import { X509Certificate } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { LoginFailureCode, SessionLoginOutput, SessionStatus, Settings } from '../../../shared/contract';
import { cardFailureCode } from '../card/card-errors';
import { watchCardPresence } from '../card/card-presence';
import { Pkcs11Module } from '../card/pkcs11-card';
import type { SigningCard } from '../card/signing-card';
import { SoftwareTestCard } from '../card/software-test-card';
import type { EventHub } from '../contract/event-hub';
import type { Logger } from '../logging/logger';
import { LoginError } from './card-login-client';
import { CardLoginSession } from './card-session';

/** An offline login tries to reach the journal this often. */
const OFFLINE_RETRY_MS = 30_000;

/** Where the clinician's card comes from: a reader through PKCS#11, or the demo's software TEST card. */
export type CardSource =
  | { kind: 'pkcs11'; modulePath: string; /** Without it, the first card in any reader. */ tokenLabel?: string }
  | { kind: 'test-card'; folder: string };

export interface SessionConfig {
  /** The journal API's root (its FHIR base is journalUrl + /fhir). */
  journalUrl?: string;
  card?: CardSource;
  /**
   * The journal is the embedded demo journal (synthetic patients): the renderer shows the amber
   * DEMO banner on every screen with patient data.
   */
  demoJournal?: boolean;
}

/**
 * Reads the session settings from the environment, the way `npm start`, the dev host and
 * Electron main pass them: AKSON_JOURNAL_URL, and either AKSON_TEST_CARD (a test-card folder) or
 * AKSON_PKCS11_MODULE (+ AKSON_CARD_LABEL).
 */
export const sessionConfigFromEnv = (env: NodeJS.ProcessEnv): SessionConfig => {
  const journalUrl = env.AKSON_JOURNAL_URL?.replace(/\/+$/, '');
  if (journalUrl !== undefined && (!/^https?:\/\/[^\s/]+/.test(journalUrl) || journalUrl.length > 2000)) {
    throw new Error(`AKSON_JOURNAL_URL must be an http(s) URL of at most 2000 characters, got "${journalUrl.slice(0, 200)}"`);
  }
  const card: CardSource | undefined = env.AKSON_TEST_CARD
    ? { kind: 'test-card', folder: env.AKSON_TEST_CARD }
    : env.AKSON_PKCS11_MODULE
      ? { kind: 'pkcs11', modulePath: env.AKSON_PKCS11_MODULE, ...(env.AKSON_CARD_LABEL ? { tokenLabel: env.AKSON_CARD_LABEL } : {}) }
      : undefined;
  return { ...(journalUrl ? { journalUrl } : {}), ...(card ? { card } : {}), ...(isDemoJournal(env, journalUrl) ? { demoJournal: true } : {}) };
};

/**
 * Whether the journal in force is the embedded demo journal: `npm start` (which starts it) names
 * its address in AKSON_DEMO_JOURNAL, and only that very journal counts, so a workstation pointed
 * elsewhere (`--journal URL`, a setting) never says DEMO over real records.
 */
const isDemoJournal = (env: NodeJS.ProcessEnv, journalUrl: string | undefined): boolean => {
  const demo = env.AKSON_DEMO_JOURNAL?.replace(/\/+$/, '');
  return demo !== undefined && demo !== '' && journalUrl !== undefined && demo === journalUrl;
};

/**
 * The session settings in force: the environment first (npm start, the e2e tests and support
 * runs set it), then the settings (IT's presets or the user's file).
 */
export const sessionConfigFrom = (env: NodeJS.ProcessEnv, values: Pick<Settings, 'journalUrl' | 'pkcs11Module' | 'cardLabel'>): SessionConfig => {
  const fromEnv = sessionConfigFromEnv(env);
  const journalUrl = fromEnv.journalUrl ?? values.journalUrl?.replace(/\/+$/, '');
  const card: CardSource | undefined =
    fromEnv.card ?? (values.pkcs11Module ? { kind: 'pkcs11', modulePath: values.pkcs11Module, ...(values.cardLabel ? { tokenLabel: values.cardLabel } : {}) } : undefined);
  return { ...(journalUrl ? { journalUrl } : {}), ...(card ? { card } : {}), ...(isDemoJournal(env, journalUrl) ? { demoJournal: true } : {}) };
};

/** Name and HPR number from the authentication certificate (CN and serialNumber=HPR-…). */
const clinicianOf = (card: SigningCard): SessionStatus['clinician'] => {
  const der = card.certificates().find((c) => c.kind === 'authentication')?.der;
  if (!der) {
    return undefined;
  }
  const fields = new Map(
    new X509Certificate(der).subject.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
  );
  const hpr = /^HPR-(\d{1,9})$/.exec(fields.get('serialNumber') ?? '')?.[1];
  return hpr ? { name: fields.get('CN') ?? '', hpr } : undefined;
};


/**
 * The clinician's session in core: takes the PIN for one login, opens the card, logs in to the
 * journal, keeps the login alive while the card stays in and locks when it leaves. Every change
 * is pushed to the renderer as `session.changed`. The PIN lives only in the login call's frame.
 */
export class SessionService {
  private module: Pkcs11Module | undefined;
  private session: CardLoginSession | undefined;
  private current: { card: SigningCard; clinician: SessionStatus['clinician'] } | undefined;
  private locked = false;
  private loggingIn = false;
  private readonly listeners = new Set<(status: SessionStatus) => void>();

  constructor(
    private readonly config: SessionConfig,
    private readonly deps: { events: EventHub; log: Logger; fetchImpl?: typeof fetch; offlineRetryMs?: number },
  ) {}

  /** An offline login: the card and PIN checked, the journal not reached yet (tried again every 30 s). */
  private offline: { card: SigningCard; watchPresence: (onRemoved: () => void) => () => void; stopWatching: () => void; retry: ReturnType<typeof setInterval> } | undefined;
  private reconnecting = false;

  /** The bearer token while the session is active (for the sync engine). */
  token(): string | undefined {
    return this.session?.token();
  }

  /** The card of the active session, for work that needs it (the cache key, signing). */
  activeCard(): SigningCard | undefined {
    return this.session?.status === 'active' || this.offline ? this.current?.card : undefined;
  }

  /** `Practitioner/<id>` of the logged-in clinician, as the journal named them in the access token. */
  practitionerReference(): string | undefined {
    const token = this.token();
    if (!token) {
      return undefined;
    }
    try {
      const { sub } = decodeJwt(token);
      return typeof sub === 'string' && /^Practitioner\/[A-Za-z0-9.-]{1,64}$/.test(sub) ? sub : undefined;
    } catch {
      return undefined;
    }
  }

  onChange(listener: (status: SessionStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): SessionStatus {
    const journal = {
      ...(this.config.journalUrl ? { journalUrl: this.config.journalUrl } : {}),
      ...(this.config.demoJournal ? { demoJournal: true } : {}),
    };
    const active = (this.session?.status === 'active' || this.offline !== undefined) && this.current;
    if (active && this.current) {
      return {
        state: 'active',
        ...(this.offline ? { offline: true } : {}),
        card: { label: this.current.card.label, isTest: this.current.card.isTest },
        ...(this.current.clinician ? { clinician: this.current.clinician } : {}),
        ...journal,
      };
    }
    const card = this.cardInReader();
    if (!card) {
      return { state: 'no-card', ...journal };
    }
    return { state: this.locked ? 'locked' : 'logged-out', card, ...journal };
  }

  /**
   * Whether the configured card middleware (PKCS#11 module) loads: undefined when none is
   * configured (no card, or the demo's software card). For the failure screen.
   */
  cardModuleProblem(): { modulePath: string } | undefined {
    const source = this.config.card;
    if (source?.kind !== 'pkcs11') {
      return undefined;
    }
    try {
      this.module ??= Pkcs11Module.load(source.modulePath);
      return undefined;
    } catch (error) {
      this.deps.log.error({ errorType: error instanceof Error ? error.name : typeof error }, 'card middleware (PKCS#11 module) did not load');
      return { modulePath: source.modulePath };
    }
  }

  /** The journal this session logs in to, if any. */
  journalUrl(): string | undefined {
    return this.config.journalUrl;
  }

  /** Which card is in the reader now, without opening it. */
  private cardInReader(): SessionStatus['card'] {
    const source = this.config.card;
    if (source?.kind === 'test-card') {
      return { label: new SoftwareTestCard(source.folder).label, isTest: true };
    }
    if (source?.kind === 'pkcs11') {
      try {
        this.module ??= Pkcs11Module.load(source.modulePath);
        const token = this.module.tokens().find((t) => source.tokenLabel === undefined || t.label === source.tokenLabel);
        return token ? { label: token.label, isTest: false } : undefined;
      } catch (error) {
        this.deps.log.warn({ errorType: error instanceof Error ? error.name : typeof error }, 'card reader could not be listed');
        return undefined;
      }
    }
    return undefined;
  }

  async login(pin: string): Promise<SessionLoginOutput> {
    const failed = (code: LoginFailureCode, detail?: string): SessionLoginOutput => ({
      ok: false,
      code,
      ...(detail ? { detail: detail.slice(0, 500) } : {}),
      status: this.status(),
    });
    const source = this.config.card;
    if (!source || !this.config.journalUrl) {
      return failed('NO_CARD', source ? 'No journal is configured (AKSON_JOURNAL_URL).' : undefined);
    }
    // One session at a time: a second login while one is active (or under way) could leave the
    // first clinician's card and cache open behind the second's.
    if (this.loggingIn || this.session?.status === 'active' || this.offline) {
      return failed('ALREADY_ACTIVE');
    }
    this.loggingIn = true;
    try {
      return await this.loginWith(source, pin, failed);
    } finally {
      this.loggingIn = false;
    }
  }

  private async loginWith(
    source: CardSource,
    pin: string,
    failed: (code: LoginFailureCode, detail?: string) => SessionLoginOutput,
  ): Promise<SessionLoginOutput> {
    const journalUrl = this.config.journalUrl ?? '';
    this.endSession();
    let card: SigningCard;
    let watchPresence: (onRemoved: () => void) => () => void;
    try {
      if (source.kind === 'test-card') {
        card = new SoftwareTestCard(source.folder);
        // A software card can not be pulled out; the session ends on lock or when core stops.
        watchPresence = () => () => undefined;
      } else {
        this.module ??= Pkcs11Module.load(source.modulePath);
        const module = this.module;
        const label = source.tokenLabel ?? module.tokens()[0]?.label;
        if (label === undefined) {
          return failed('NO_CARD');
        }
        card = module.open(label);
        watchPresence = (onRemoved) => watchCardPresence({ module, label, onRemoved });
      }
      card.login(pin);
    } catch (error) {
      return failed(cardFailureCode(error));
    }
    const session = new CardLoginSession({
      apiBase: journalUrl,
      card,
      watchPresence,
      ...(this.deps.fetchImpl ? { fetchImpl: this.deps.fetchImpl } : {}),
    });
    try {
      await session.start();
    } catch (error) {
      try {
        card.close();
      } catch {
        // already gone
      }
      if (error instanceof LoginError && error.status >= 400) {
        this.deps.log.warn({ status: error.status }, 'journal refused the card login');
        return failed('LOGIN_REFUSED', error.message);
      }
      if (error instanceof LoginError && error.status === 0) {
        return failed('LOGIN_REFUSED', error.message);
      }
      this.deps.log.warn({ errorType: error instanceof Error ? error.name : typeof error }, 'journal unreachable at login');
      // The card and PIN are right, the journal is not there: an emergency centre must keep
      // working. Logged in offline: the cache opens (only this card can open it), changes wait,
      // and the journal login is tried again until it answers. The card is reopened for this.
      return this.loginOffline(source, pin, watchPresence, failed);
    }
    this.adopt(session, card);
    return { ok: true, status: this.status() };
  }

  private loginOffline(
    source: CardSource,
    pin: string,
    watchPresence: (onRemoved: () => void) => () => void,
    failed: (code: LoginFailureCode, detail?: string) => SessionLoginOutput,
  ): SessionLoginOutput {
    let card: SigningCard;
    try {
      card = source.kind === 'test-card' ? new SoftwareTestCard(source.folder) : (this.module ?? Pkcs11Module.load(source.modulePath)).open(source.tokenLabel ?? this.module?.tokens()[0]?.label ?? '');
      card.login(pin);
    } catch (error) {
      return failed(cardFailureCode(error));
    }
    this.current = { card, clinician: clinicianOf(card) };
    this.locked = false;
    this.offline = {
      card,
      watchPresence,
      stopWatching: watchPresence(() => this.lock()),
      retry: setInterval(() => void this.reconnect(), this.deps.offlineRetryMs ?? OFFLINE_RETRY_MS),
    };
    this.offline.retry.unref();
    this.publish();
    return { ok: true, status: this.status() };
  }

  /**
   * A fresh journal login with the card still in (and logged in), when the journal refused the
   * token it had: no PIN is asked. A refusal of the card itself locks; an unreachable journal
   * leaves things as they are (the sync tries again).
   */
  async renewJournalLogin(): Promise<void> {
    const session = this.session;
    if (!session || this.offline || this.locked) {
      return;
    }
    try {
      await session.renewNow();
    } catch (error) {
      // Only a refusal of the card itself locks; a busy journal (429) or an outage leaves it to the next try.
      if (error instanceof LoginError && (error.status === 401 || error.status === 403)) {
        this.lock();
      }
    }
  }

  /** Completes an offline login with the journal once it answers; the card stays as it is. */
  private async reconnect(): Promise<void> {
    const offline = this.offline;
    if (!offline || this.reconnecting || !this.config.journalUrl) {
      return;
    }
    this.reconnecting = true;
    try {
      const session = new CardLoginSession({
        apiBase: this.config.journalUrl,
        card: offline.card,
        watchPresence: offline.watchPresence,
        ...(this.deps.fetchImpl ? { fetchImpl: this.deps.fetchImpl } : {}),
      });
      try {
        await session.start();
      } catch {
        return; // still unreachable (or refused): stay offline, try again later
      }
      if (this.offline !== offline) {
        return; // locked meanwhile; the card is already closed
      }
      clearInterval(offline.retry);
      offline.stopWatching();
      this.offline = undefined;
      this.adopt(session, offline.card);
    } finally {
      this.reconnecting = false;
    }
  }

  private adopt(session: CardLoginSession, card: SigningCard): void {
    this.session = session;
    this.current = { card, clinician: clinicianOf(card) };
    this.locked = false;
    session.onChange((state) => {
      if (state === 'locked') {
        this.locked = true;
      }
      this.publish();
    });
    this.publish();
  }

  lock(): SessionStatus {
    this.endOffline();
    if (this.session) {
      this.session.lock();
      this.locked = true;
      this.session = undefined;
      this.current = undefined;
    }
    this.publish();
    return this.status();
  }

  private endOffline(): void {
    const offline = this.offline;
    if (offline) {
      this.offline = undefined;
      clearInterval(offline.retry);
      offline.stopWatching();
      try {
        offline.card.close();
      } catch {
        // the card is gone
      }
      this.current = undefined;
      this.locked = true;
    }
  }

  private endSession(): void {
    this.endOffline();
    if (this.session) {
      this.session.lock();
      this.session = undefined;
      this.current = undefined;
    }
  }

  private publish(): void {
    const status = this.status();
    this.deps.events.emit('session.changed', status);
    for (const listener of this.listeners) {
      listener(status);
    }
  }

  dispose(): void {
    this.endSession();
    this.module?.close();
    this.module = undefined;
  }
}
