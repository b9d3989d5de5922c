import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ContractError, rebuildableCacheFailures, type CallOutput, type Grant, type SessionStatus, type UnsentWork } from '../../../shared/contract';
import type { PatientSearchOutput, ResourceHistory, SignatureCheck, WorklistName } from '../../../shared/contract/journal-ui';
import { parsePatientQuery } from '../../../shared/patient-search/parse-patient-query';
import { verifyProvenance, type SignableResource, type SignatureProvenance } from '../../../shared/signing/provenance';
import { HPR_SYSTEM } from '../../../shared/fhir/identifier-systems';
import { CardError, cardFailureCode } from '../card/card-errors';
import { signResourceVersion } from '../signing/sign-resource';
import type { TrustAnchors } from '../signing/trust-anchors';
import { CacheError, openCache, patientIdOf, type FhirResource, type KeyStore, type OfflineCache } from '../cache';
import { clinicianFolder } from '../cache/clinician-folder';
import type { EventHub } from '../contract/event-hub';
import type { Logger } from '../logging/logger';
import type { SessionService } from '../session/session-service';
import { JournalClient } from './journal-client';
import { SyncEngine, type SyncStatus } from './sync-engine';
import { JOURNAL_SEARCH_TIMEOUT_MS, journalSearchParams, journalState, mergeHits, patientsOf } from './merged-patient-search';
import { fetchWorklists, worklistPatientIds } from './worklist-prefetch';

/** Today's appointments change during the day: the lists are fetched again this often while logged in. */
const WORKLIST_REFRESH_MS = 5 * 60_000;
/** While the prefetch fills charts, a worklist on screen is told to ask again after this many. */
const PULLS_PER_WORKLIST_NOTICE = 25;

export interface OfflineSettings {
  /** The app's data folder; each clinician's encrypted cache lives in a folder under `caches/`. */
  dataDir: string;
  /** Wraps each cache key: Electron safeStorage in main, a (weaker) key file in the dev host. */
  keyStore: KeyStore;
}

/** One clinician's open cache with its engine; pulls in flight belong to it, not to the next login. */
interface Workspace {
  cache: OfflineCache;
  engine: SyncEngine;
  hpr: string;
  client: JournalClient;
  /** The same journal with a short timeout, for as-you-type search. */
  searchClient: JournalClient;
  prefetch?: Promise<void>;
  refreshTimer?: ReturnType<typeof setInterval>;
  pulls: Map<string, Promise<PullResult>>;
  /** What the latest pull said of each patient's access (refused, blocked); for this login only. */
  access: Map<string, { refused: string | null; blocked: boolean }>;
  /** This clinician's active self-authorisations, as the journal listed them, by patient. */
  grants: Map<string, Grant>;
}

/** Where each record a clinician creates names its recorder (FHIR R4). */
const RECORDER_FIELD: Readonly<Partial<Record<string, string>>> = { AllergyIntolerance: 'recorder', Condition: 'recorder', Flag: 'author' };

type PullResult = Awaited<ReturnType<SyncEngine['pullPatient']>>;

/** `$my-grants` / `$break-the-glass` answer: Parameters with one `grant` per self-authorisation. */
const grantsIn = (body: unknown): { patientId: string; grant: Grant }[] => {
  const parameters = (body as { parameter?: unknown } | undefined)?.parameter;
  if (!Array.isArray(parameters)) {
    return [];
  }
  return parameters.flatMap((parameter: { name?: unknown; part?: { name?: unknown; valueString?: unknown; valueInstant?: unknown; valueReference?: { reference?: unknown }; valueCoding?: { code?: unknown } }[] }) => {
    const part = (name: string) => (Array.isArray(parameter.part) ? parameter.part.find((p) => p.name === name) : undefined);
    const patient = part('patient')?.valueReference?.reference;
    const expires = part('expires')?.valueInstant;
    const reason = part('reason')?.valueCoding?.code;
    const text = part('text')?.valueString;
    if (parameter.name !== 'grant' || typeof patient !== 'string' || !patient.startsWith('Patient/') || typeof expires !== 'string' || typeof reason !== 'string') {
      return [];
    }
    return [{ patientId: patient.slice('Patient/'.length), grant: { expiresAt: expires, reason: reason.slice(0, 40), text: typeof text === 'string' ? text.slice(0, 500) : '' } }];
  });
};


/** The journal's origin, as the card login names it: the cache folder follows it. */
const journalAudienceOf = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`.toLowerCase();
};

/**
 * Where the caches for one journal live under the app's data folder: one cache per journal as well
 * as per clinician, since an outbox, its cursors and versions belong to the journal they came from.
 */
const REBUILDABLE: ReadonlySet<string> = new Set(rebuildableCacheFailures);

export const cacheRootFor = (dataDir: string, journalUrl: string): string =>
  join(dataDir, 'caches', createHash('sha256').update(journalAudienceOf(journalUrl)).digest('hex').slice(0, 16));

/**
 * What core can say of the unsent changes in a cache that did not open: saved and waiting when a
 * damaged cache's outbox was exported before the error, otherwise not known (the cache could not be read).
 */
export const unsentAfter = (error: unknown): UnsentWork => {
  const salvaged = error instanceof CacheError ? error.salvaged : undefined;
  return salvaged && salvaged.exportFile !== null && salvaged.exportedOutboxItems > 0
    ? { state: 'exported', items: salvaged.exportedOutboxItems, unreadable: salvaged.unreadableOutboxItems, file: salvaged.exportFile }
    : { state: 'unknown' };
};

const idle: SyncStatus = {
  online: false,
  syncing: false,
  pending: 0,
  oldestPendingAt: null,
  lastSuccessfulSyncAt: null,
  conflicts: 0,
  failed: 0,
  lastError: null,
  needsLogin: true,
};

/**
 * The clinician's offline workspace: opens their encrypted cache when the card login succeeds,
 * runs the sync engine while the session is active, and closes both when the session locks.
 * Contract calls about patients and changes are answered from here.
 */
export class OfflineWorkspace {
  private open: Workspace | undefined;
  /** How many worklist patients the background prefetch has pulled (tests and support). */
  prefetched = 0;
  private notice: string | null = null;

  constructor(
    private readonly session: SessionService,
    private readonly settings: OfflineSettings | undefined,
    private readonly deps: {
      journalUrl?: string;
      events: EventHub;
      log: Logger;
      fetchImpl?: typeof fetch;
      /** Roots and CRLs for chart.verifySignature; without them every signature is unverifiable. */
      trustAnchors?: TrustAnchors;
      /** How often the worklists are fetched again (default 5 minutes). */
      worklistRefreshMs?: number;
    },
  ) {
    session.onChange((status) => {
      void this.follow(status);
    });
  }

  /**
   * Follows the session, one change at a time: a lock closes the cache (after the push in flight
   * ends), a login opens the clinician's own, and another clinician's login never finds the
   * previous one's cache open. A fresh login also wakes a sync that waited for one.
   */
  private follow(status: SessionStatus): Promise<void> {
    const step = async (): Promise<void> => {
      const hpr = status.state === 'active' ? status.clinician?.hpr : undefined;
      if (this.open && this.open.hpr !== hpr) {
        await this.close();
      }
      if (hpr !== undefined && !this.open) {
        this.openFor(hpr);
      } else if (hpr !== undefined) {
        this.open?.engine.loggedIn();
      }
    };
    // One step failing (a cache that would not close) must not stop every later one.
    this.following = this.following.then(step).catch((error: unknown) => {
      this.deps.log.error({ errorType: error instanceof Error ? error.name : typeof error }, 'offline workspace did not follow the session');
    });
    return this.following;
  }

  private following: Promise<void> = Promise.resolve();

  /**
   * Why the clinician's cache did not open at the last login (a CacheError code) and what core knows
   * of the unsent changes in it, for the failure screen.
   */
  private openFailure: { code: string; unsent: UnsentWork } | undefined;

  cacheFailure(): { code: string; unsent: UnsentWork } | undefined {
    return this.openFailure;
  }

  /**
   * "Rebuild from the journal", from the failure screen: the clinician's cache that would not open
   * (another card, a lost key, a damaged file) is renamed aside, never deleted (its unsent
   * changes may still be read with the old card or key), and a new, empty one is opened; the
   * journal fills it again. Only for failures a new cache can fix.
   */
  rebuildCache(): { setAsidePath: string } {
    const status = this.session.status();
    const hpr = status.state === 'active' ? status.clinician?.hpr : undefined;
    if (!hpr || !this.settings || !this.deps.journalUrl) {
      throw new ContractError('LOCKED', 'Log in with the card first.');
    }
    if (this.open || this.openFailure === undefined || !REBUILDABLE.has(this.openFailure.code)) {
      throw new ContractError('REFUSED', 'There is no cache failure a rebuild would fix.');
    }
    if (this.openFailure.unsent.state === 'exported') {
      // A new cache has a new key: the saved changes could no longer be queued again from it.
      throw new ContractError('REFUSED', 'Unsent changes were saved from the damaged cache; they are sent at the next login that opens it, not after a rebuild.');
    }
    const folder = clinicianFolder(cacheRootFor(this.settings.dataDir, this.deps.journalUrl), hpr);
    const setAsidePath = `${folder}.set-aside-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
    renameSync(folder, setAsidePath);
    this.deps.log.warn({ code: this.openFailure.code }, 'offline cache set aside on request; a new one is filled from the journal');
    this.openFor(hpr);
    const again = this.openFailure as { code: string } | undefined;
    if (again !== undefined) {
      throw new ContractError('REFUSED', `The new cache could not be opened either (${again.code}).`);
    }
    return { setAsidePath };
  }

  private openFor(hpr: string): void {
    const card = this.session.activeCard();
    if (!this.settings || !this.deps.journalUrl || !card) {
      return;
    }
    const { log, events } = this.deps;
    this.notice = null;
    this.openFailure = undefined;
    let opened: OfflineCache | undefined;
    try {
      const { cache, recovered } = openCache({ root: cacheRootFor(this.settings.dataDir, this.deps.journalUrl), clinicianHpr: hpr, card, keyStore: this.settings.keyStore, log });
      opened = cache;
      // Every export left by a recovery is re-queued, also one whose import a crash interrupted
      // (the import is idempotent; the file is renamed only after it).
      const requeued = this.importRecoveredOutboxes(cache);
      if (recovered || requeued > 0) {
        this.notice = `The offline cache was damaged and rebuilt; ${requeued} unsent change(s) were kept and re-queued${
          recovered && recovered.unreadableOutboxItems > 0 ? `, ${recovered.unreadableOutboxItems} could not be read` : ''
        }${recovered ? `. The damaged file was moved to ${recovered.movedTo}` : ''}.`;
      }
      const clientOptions = {
        fhirBase: `${this.deps.journalUrl}/fhir`,
        token: () => this.session.token(),
        ...(this.deps.fetchImpl ? { fetchImpl: this.deps.fetchImpl } : {}),
      };
      const client = new JournalClient(clientOptions);
      const searchClient = new JournalClient({ ...clientOptions, timeoutMs: JOURNAL_SEARCH_TIMEOUT_MS });
      const engine = new SyncEngine({
        cache,
        client,
        log,
        onStatus: (status) => {
          events.emit('sync.status', this.withNotice(status));
          if (status.needsLogin) {
            this.renewLogin();
          }
        },
        // A created record now has its real id: an open chart asks again.
        onSent: (patientId) => patientId !== null && events.emit('chart.updated', { patientId }),
      });
      const open: Workspace = { cache, engine, hpr, client, searchClient, pulls: new Map(), access: new Map(), grants: new Map() };
      this.open = open;
      engine.start();
      open.prefetch = this.prefetchWorklist(open);
      open.refreshTimer = setInterval(() => {
        // One refresh at a time: a slow journal must not stack them up.
        if (this.open === open) {
          open.prefetch = (open.prefetch ?? Promise.resolve()).then(() => (this.open === open ? this.prefetchWorklist(open) : undefined));
        }
      }, this.deps.worklistRefreshMs ?? WORKLIST_REFRESH_MS);
      open.refreshTimer.unref();
    } catch (error) {
      // WRONG_CARD, key store trouble…: the session stays usable online-only; the status says why.
      try {
        opened?.close();
      } catch {
        // already closed or never usable
      }
      this.notice = error instanceof CacheError ? `The offline cache could not be opened (${error.code}).` : 'The offline cache could not be opened.';
      this.openFailure = { code: error instanceof CacheError ? error.code : 'UNKNOWN', unsent: unsentAfter(error) };
      // A cache that does not open can not say what it holds.
      this.draftsAtClose.delete(clinicianFolder(cacheRootFor(this.settings.dataDir, this.deps.journalUrl), hpr));
      log.error({ code: error instanceof CacheError ? error.code : undefined }, 'offline cache not opened');
      events.emit('sync.status', { ...idle, lastError: this.notice });
    }
  }

  /**
   * Today's appointments and the GP list: fetched from the journal and remembered in the cache (so
   * worklist.get answers at once, also offline), then their charts fetched in the background a few
   * at a time, so they open from the cache even if the network drops later. Patients already
   * cached are brought up to date when opened instead. Stops at the next batch when the session locks.
   */
  private async prefetchWorklist(open: Workspace): Promise<void> {
    const { events, log } = this.deps;
    try {
      const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(new Date());
      const lists = await fetchWorklists(open.client, open.hpr, today);
      if (this.open !== open) {
        return;
      }
      const refreshedAt = new Date().toISOString();
      const changed: WorklistName[] = [];
      if (lists.today && open.cache.replaceWorklist('today', lists.today, refreshedAt)) {
        changed.push('today');
      }
      if (lists.gpList && open.cache.replaceWorklist('gp-list', lists.gpList.map((patientId) => ({ patientId, appointment: null })), refreshedAt)) {
        changed.push('gp-list');
      }
      for (const list of changed) {
        events.emit('worklist.updated', { list });
      }
      const ids = worklistPatientIds(lists);
      const todo = ids.filter((id) => open.cache.getCursor(`patient:${id}`) === undefined);
      const onToday = new Set((lists.today ?? []).map((row) => row.patientId));
      let unannounced = new Set<WorklistName>();
      let sinceNotice = 0;
      const announce = (): void => {
        for (const list of unannounced) {
          events.emit('worklist.updated', { list });
        }
        unannounced = new Set();
        sinceNotice = 0;
      };
      let pulled = 0;
      for (let i = 0; i < todo.length && this.open === open; i += 4) {
        const batch = todo.slice(i, i + 4);
        const results = await Promise.all(batch.map((id) => this.pullOnce(open, id)));
        results.forEach((result, index) => {
          if (result.ok) {
            pulled += 1;
            sinceNotice += 1;
            // A row that showed "not fetched yet" now has its patient.
            unannounced.add(onToday.has(batch[index] ?? '') ? 'today' : 'gp-list');
          }
        });
        if (sinceNotice >= PULLS_PER_WORKLIST_NOTICE) {
          announce();
        }
      }
      if (this.open === open) {
        announce();
      }
      this.prefetched += pulled;
      log.info({ patients: ids.length, pulled, changed: changed.length }, 'worklist prefetched');
    } catch (error) {
      log.warn({ errorType: error instanceof Error ? error.name : typeof error }, 'worklist prefetch stopped');
    }
  }

  private withNotice(status: SyncStatus): SyncStatus {
    return this.notice && status.lastError === null ? { ...status, lastError: this.notice } : status;
  }

  async close(): Promise<void> {
    const open = this.open;
    this.open = undefined;
    if (open) {
      // Unknown ("maybe") while it closes: the answer from an earlier close is stale by now.
      this.draftsAtClose.delete(open.cache.folder);
      clearInterval(open.refreshTimer);
      await open.engine.stop();
      await open.prefetch;
      await Promise.allSettled(open.pulls.values());
      // Nothing can save a draft from here on (calls need the open cache): what it holds now stays
      // true until the next login.
      try {
        this.draftsAtClose.set(open.cache.folder, open.cache.listDrafts(1).length > 0);
      } catch {
        this.draftsAtClose.delete(open.cache.folder);
      }
      open.cache.close();
    }
  }

  /** Per clinician's cache folder: did it hold drafts when this workstation last closed it? */
  private readonly draftsAtClose = new Map<string, boolean>();

  /**
   * For the updater: may an unsigned draft exist on this PC (this journal's caches)? The open cache
   * says for itself; a cache closed since the app started, what it held then (nothing saves a draft
   * into a closed cache); any other clinician's cache can not be read, so it counts as "maybe".
   */
  mayHaveUnsignedDrafts(): boolean {
    if (!this.settings || !this.deps.journalUrl) {
      // No offline cache at all: drafts can not be kept here.
      return false;
    }
    const root = cacheRootFor(this.settings.dataDir, this.deps.journalUrl);
    let folders: string[];
    try {
      // A clinician's folder is a bare hash; set-aside copies (name.set-aside-…) are not in use.
      folders = readdirSync(root, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && !entry.name.includes('.'))
        .map((entry) => join(root, entry.name));
    } catch (error) {
      return (error as NodeJS.ErrnoException).code !== 'ENOENT';
    }
    return folders.some((folder) => {
      if (this.open?.cache.folder === folder) {
        return this.open.cache.listDrafts(1).length > 0;
      }
      return this.draftsAtClose.get(folder) ?? true;
    });
  }

  private require(): Workspace {
    if (!this.open) {
      throw new ContractError('LOCKED', 'Log in with the card first: the offline cache opens with the login.');
    }
    return this.open;
  }

  /** Answers from the cache at once; pulls in the background (or first, when nothing is cached yet). */
  async openChart(patientId: string): Promise<CallOutput<'chart.open'>> {
    const open = this.require();
    const { cache } = open;
    const cached = cache.patientChart(patientId);
    const pull = this.pullOnce(open, patientId);
    // Cached means pulled once: a note only saved here does not make a chart.
    if (cache.getCursor(`patient:${patientId}`) === undefined) {
      const result = await pull;
      if (!result.ok && result.refused !== undefined && cache.getResource('Patient', patientId) === undefined) {
        // Refused: the demographics (which every clinician may read) say whose record it is.
        const patient = await open.client.read('Patient', patientId);
        if (patient.kind === 'ok' && patient.resource?.resourceType === 'Patient') {
          cache.putResources([patient.resource as FhirResource]);
        }
      }
      return { patientId, resources: this.patientFirst(cache.patientChart(patientId)), fromCache: false, unsynced: cache.unsyncedForPatient(patientId), access: this.accessOf(open, patientId) };
    }
    const before = JSON.stringify(this.accessOf(open, patientId));
    void pull.then((result) => {
      if ((result.ok && result.written > 0) || JSON.stringify(this.accessOf(open, patientId)) !== before) {
        this.deps.events.emit('chart.updated', { patientId });
      }
    });
    return { patientId, resources: this.patientFirst(cached), fromCache: true, unsynced: cache.unsyncedForPatient(patientId), access: this.accessOf(open, patientId) };
  }

  private accessOf(open: Workspace, patientId: string): CallOutput<'chart.open'>['access'] {
    const known = open.access.get(patientId);
    const grant = open.grants.get(patientId);
    return { refused: known?.refused ?? null, blocked: known?.blocked ?? false, grant: grant && Date.parse(grant.expiresAt) > Date.now() ? grant : null };
  }

  /**
   * Self-authorisation: the journal records the reason and grants access for a limited time;
   * the chart is then pulled under it. Online only: the journal decides, never this PC.
   */
  async selfAuthorise(patientId: string, reason: string, text: string): Promise<Grant> {
    const open = this.require();
    if (this.session.token() === undefined) {
      throw new ContractError('REFUSED', 'Self-authorisation needs the journal, and it can not be reached now.');
    }
    const answer = await open.client.operation('POST', `Patient/${patientId}/$break-the-glass`, {
      resourceType: 'Parameters',
      parameter: [
        { name: 'reason', valueCode: reason },
        { name: 'text', valueString: text },
      ],
    });
    if (answer.kind !== 'ok') {
      throw new ContractError('REFUSED', answer.kind === 'rejected' ? answer.message.slice(0, 500) : 'The journal could not be reached; nothing was granted.');
    }
    const granted = grantsIn(answer.body).find((g) => g.patientId === patientId);
    if (!granted) {
      throw new ContractError('INTERNAL', 'The journal answered without a grant.');
    }
    open.grants.set(patientId, granted.grant);
    open.access.set(patientId, { refused: null, blocked: false });
    await this.pullOnce(open, patientId);
    this.deps.events.emit('chart.updated', { patientId });
    return granted.grant;
  }

  /**
   * A block of one document at the patient's request, as a Consent the journal validates and
   * audits (server/access/block-consent.ts); then the chart is pulled again under it.
   */
  async recordBlock(patientId: string, document: string, note: string): Promise<{ recorded: true }> {
    const open = this.require();
    if (this.session.token() === undefined) {
      throw new ContractError('REFUSED', 'A block is recorded in the journal, and it can not be reached now.');
    }
    // Its own identifier, so a retry after a lost answer finds this block instead of making a second.
    const identifier = randomUUID();
    const consent = {
      resourceType: 'Consent',
      identifier: [{ system: 'urn:akson:client-id', value: identifier }],
      status: 'active',
      scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
      category: [{ coding: [{ system: 'http://akson.example/fhir/CodeSystem/consent-category', code: 'sperring' }] }],
      patient: { reference: `Patient/${patientId}` },
      dateTime: new Date().toISOString(),
      ...(this.session.practitionerReference() ? { performer: [{ reference: this.session.practitionerReference() }] } : {}),
      policyRule: { text: note },
      provision: { type: 'deny', data: [{ meaning: 'instance', reference: { reference: document } }] },
    };
    const answer = await open.client.create(consent, `identifier=${encodeURIComponent(`urn:akson:client-id|${identifier}`)}`);
    if (answer.kind !== 'ok') {
      throw new ContractError('REFUSED', answer.kind === 'rejected' || answer.kind === 'conflict' ? answer.message.slice(0, 500) : 'The journal could not be reached; nothing was blocked.');
    }
    // A pull already running began before the block and would not drop the document: wait for
    // it, then pull again (one that starts from here on knows the block).
    await open.pulls.get(patientId)?.catch(() => undefined);
    await this.pullOnce(open, patientId);
    this.deps.events.emit('chart.updated', { patientId });
    return { recorded: true };
  }

  /** The journal's access log of a patient, names looked up in the directory (at most 50 of them). */
  async accessLog(patientId: string): Promise<CallOutput<'access.log'>> {
    const open = this.require();
    if (this.session.token() === undefined) {
      throw new ContractError('REFUSED', 'The access log is the journal\'s: it can not be reached now.');
    }
    const answer = await open.client.operation('GET', `Patient/${patientId}/$access-log`);
    if (answer.kind !== 'ok') {
      throw new ContractError('REFUSED', answer.kind === 'rejected' ? answer.message.slice(0, 500) : 'The journal could not be reached.');
    }
    type Event = {
      recorded?: string;
      outcomeDesc?: string;
      subtype?: { code?: string }[];
      purposeOfEvent?: { coding?: { code?: string }[]; text?: string }[];
      agent?: { who?: { reference?: string; display?: string; identifier?: { value?: string } }; role?: { coding?: { code?: string }[] }[]; requestor?: boolean }[];
      entity?: { what?: { reference?: string }; name?: string; description?: string; type?: { code?: string } }[];
    };
    const events = (((answer.body as { entry?: { resource?: Event }[] } | undefined)?.entry ?? []).map((e) => e.resource).filter((r): r is Event => r !== undefined)).slice(0, 1000);
    const refs = [...new Set(events.flatMap((e) => (e.agent ?? []).map((a) => a.who?.reference).filter((r): r is string => typeof r === 'string' && /^(Practitioner|Organization)\/[A-Za-z0-9.-]{1,64}$/.test(r))))].slice(0, 50);
    const names = new Map<string, string>();
    await Promise.all(
      refs.map(async (ref) => {
        const [type = '', id = ''] = ref.split('/');
        const read = await open.client.read(type, id);
        const resource = read.kind === 'ok' ? (read.resource as { name?: unknown } | undefined) : undefined;
        const name = typeof resource?.name === 'string' ? resource.name : Array.isArray(resource?.name) ? (resource.name[0] as { text?: unknown } | undefined)?.text : undefined;
        if (typeof name === 'string') {
          names.set(ref, name.slice(0, 200));
        }
      }),
    );
    return events.map((event) => {
      const requestor = event.agent?.find((a) => a.requestor) ?? event.agent?.[0];
      const organisation = event.agent?.find((a) => a.requestor === false)?.who?.reference;
      const purpose = event.purposeOfEvent?.[0];
      return {
        at: String(event.recorded ?? '').slice(0, 40),
        who: (requestor?.who?.reference ? (names.get(requestor.who.reference) ?? requestor.who.reference) : (requestor?.who?.display ?? '?')).slice(0, 200),
        hpr: requestor?.who?.identifier?.value?.slice(0, 20) ?? null,
        organisation: organisation ? (names.get(organisation) ?? organisation).slice(0, 200) : null,
        role: requestor?.role?.[0]?.coding?.[0]?.code?.slice(0, 40) ?? null,
        basis: purpose?.coding?.[0]?.code?.slice(0, 40) ?? null,
        reason: purpose?.text && purpose.text !== purpose.coding?.[0]?.code ? purpose.text.slice(0, 600) : null,
        action: event.subtype?.[0]?.code?.slice(0, 40) ?? '?',
        outcome: Number(event.outcomeDesc) || 0,
        documents: (event.entity ?? [])
          .filter((entity) => entity.type?.code !== 'Patient')
          .slice(0, 200)
          .map((entity) => ({ kind: (entity.description ?? entity.type?.code ?? '?').slice(0, 100), title: (entity.name ?? '').slice(0, 300) })),
      };
    });
  }

  /** The clinician's active grants, asked again after every pull that was refused or allowed by one. */
  private async refreshGrants(open: Workspace): Promise<void> {
    const answer = await open.client.operation('GET', '$my-grants');
    if (answer.kind === 'ok') {
      open.grants = new Map(grantsIn(answer.body).map((g) => [g.patientId, g.grant]));
    }
  }

  /** One pull per patient at a time: a second open while one runs shares it. */
  private pullOnce(open: Workspace, patientId: string): Promise<PullResult> {
    const running = open.pulls.get(patientId);
    if (running) {
      return running;
    }
    const pull = open.engine
      .pullPatient(patientId)
      .then(async (result) => {
        if (result.ok) {
          open.access.set(patientId, { refused: null, blocked: result.blocked });
        } else if (result.refused !== undefined) {
          open.access.set(patientId, { refused: result.refused.slice(0, 1000), blocked: false });
        }
        if (result.ok || result.refused !== undefined) {
          // A grant may have started or run out with this pull: the banner's time says which.
          await this.refreshGrants(open).catch(() => undefined);
        }
        return result;
      })
      .finally(() => open.pulls.delete(patientId));
    open.pulls.set(patientId, pull);
    return pull;
  }

  private importRecoveredOutboxes(cache: OfflineCache): number {
    let added = 0;
    for (const name of readdirSync(cache.folder).filter((file) => /^recovered-outbox-.*\.bin$/.test(file))) {
      const file = join(cache.folder, name);
      try {
        added += cache.importRecoveredOutbox(file);
        renameSync(file, `${file}.imported`);
      } catch (error) {
        // One unreadable export must not keep the cache shut for good: set it aside, say so.
        this.deps.log.error({ code: error instanceof CacheError ? error.code : undefined }, 'a recovered outbox could not be re-queued');
        try {
          renameSync(file, `${file}.invalid`);
        } catch {
          // left where it is; tried again next time
        }
        this.notice = 'Unsent changes saved when the cache was rebuilt could not all be read back; support can find them in the cache folder.';
      }
    }
    return added;
  }

  private patientFirst(resources: FhirResource[]): FhirResource[] {
    return [...resources.filter((r) => r.resourceType === 'Patient'), ...resources.filter((r) => r.resourceType !== 'Patient')];
  }

  /**
   * The cache answers; with scope 'all' the journal's own search joins (the clinician's token, so
   * the journal's access rules decide) within a short timeout. An invalid national id finds no one.
   */
  async searchPatients(query: string, limit = 20, scope: 'cache' | 'all' = 'cache'): Promise<PatientSearchOutput> {
    const open = this.require();
    const parsed = parsePatientQuery(query);
    if (parsed.kind === 'empty' || parsed.kind === 'invalidNationalId') {
      return { hits: [], journal: 'not-asked' };
    }
    const cached = open.cache.searchPatients(parsed, limit);
    const params = scope === 'all' ? journalSearchParams(parsed, limit) : undefined;
    if (params === undefined) {
      return { hits: mergeHits(cached, [], limit), journal: 'not-asked' };
    }
    if (this.session.token() === undefined) {
      // Logged in offline: the journal has not seen this card yet, so it can not be asked.
      return { hits: mergeHits(cached, [], limit), journal: 'offline' };
    }
    const outcome = await open.searchClient.search('Patient', params);
    const journal = journalState(outcome);
    return { hits: mergeHits(cached, outcome.kind === 'ok' ? patientsOf(outcome.body) : [], limit), journal };
  }

  /** A worklist as last fetched, from the cache at once; the prefetch refreshes it and emits worklist.updated. */
  worklist(list: WorklistName): CallOutput<'worklist.get'> {
    const stored = this.require().cache.worklist(list);
    return { list, rows: stored.rows, refreshedAt: stored.refreshedAt };
  }

  /**
   * Every version from the journal's `_history` (kept here too, for later offline); when the journal
   * can not be reached, the versions this PC holds.
   */
  async history(resourceType: string, id: string): Promise<ResourceHistory> {
    const { cache, client } = this.require();
    const cachedVersions = (): ResourceHistory => ({ versions: cache.versionsOf(resourceType, id).slice(0, 1_000), source: 'cache' });
    if (this.session.token() === undefined) {
      return cachedVersions();
    }
    const outcome = await client.history(resourceType, id);
    if (outcome.kind === 'ok') {
      const resources = outcome.resources as FhirResource[];
      cache.putVersions(resources);
      return {
        versions: resources.map((resource) => ({ versionId: resource.meta?.versionId ?? '', lastUpdated: resource.meta?.lastUpdated ?? null, resource })),
        source: 'journal',
      };
    }
    if (outcome.kind === 'rejected' && cache.versionsOf(resourceType, id).length === 0) {
      throw new ContractError('REFUSED', `The journal has no history for this ${resourceType}: ${outcome.message}`);
    }
    // Unreachable, 5xx, or a record only this PC has (not sent yet): what is here.
    return cachedVersions();
  }

  /**
   * Checks the signature of the cached version of a resource: its Provenance (target
   * `Type/id/_history/<version>`), from the cache or else asked of the journal (and then kept,
   * since $everything does not carry Provenances), verified against this workstation's trust
   * anchors. Signer and time are given only for a signature that verified.
   */
  async verifySignature(resourceType: string, id: string): Promise<SignatureCheck> {
    const { cache, client } = this.require();
    const unverified = (status: SignatureCheck['status'], code: string | null): SignatureCheck => ({ status, code, signer: null, signedAt: null });
    const resource = cache.getResource(resourceType, id);
    if (!resource) {
      throw new ContractError('REFUSED', `This ${resourceType} is not in the chart on this PC; open the chart first.`);
    }
    const versionId = resource.meta?.versionId;
    if (versionId === undefined || cache.hasQueued(resourceType, id)) {
      // Saved here, not in the journal yet: its Provenance (if any) travels with it in the outbox.
      return unverified('unverifiable', 'NOT_IN_JOURNAL_YET');
    }
    const target = `${resourceType}/${id}/_history/${versionId}`;
    let provenances = cache.provenancesFor(target);
    if (provenances.length === 0) {
      if (this.session.token() === undefined) {
        return unverified('unverifiable', 'OFFLINE');
      }
      const outcome = await client.search('Provenance', { target: `${resourceType}/${id}` });
      if (outcome.kind !== 'ok') {
        return unverified('unverifiable', journalState(outcome) === 'offline' ? 'OFFLINE' : 'JOURNAL_FAILED');
      }
      const found = (((outcome.body as { entry?: { resource?: FhirResource }[] } | undefined)?.entry ?? []).map((entry) => entry.resource)).filter(
        (r): r is FhirResource => r?.resourceType === 'Provenance' && typeof r.id === 'string',
      );
      cache.putResources(found);
      provenances = cache.provenancesFor(target);
    }
    if (provenances.length === 0) {
      return unverified('unsigned', null);
    }
    const anchors = this.deps.trustAnchors;
    if (!anchors || anchors.roots.length === 0) {
      return unverified('unverifiable', 'NO_TRUST_ANCHORS');
    }
    let first: SignatureCheck | undefined;
    for (const provenance of provenances) {
      const check = await this.checkProvenance(provenance, resource, anchors);
      if (check.status === 'verified') {
        return check;
      }
      first ??= check;
    }
    return first ?? unverified('unsigned', null);
  }

  private async checkProvenance(provenance: FhirResource, resource: FhirResource, anchors: TrustAnchors): Promise<SignatureCheck> {
    const signatures = provenance['signature'];
    if (!Array.isArray(signatures) || signatures.length === 0) {
      // A Provenance of a change without a signature: the version is not signed.
      return { status: 'unsigned', code: null, signer: null, signedAt: null };
    }
    try {
      const result = await verifyProvenance(provenance as unknown as SignatureProvenance, resource as SignableResource, { trustedRoots: anchors.roots, crls: anchors.crls });
      if (result.ok) {
        const { signer } = result;
        return {
          status: 'verified',
          code: null,
          signer: { name: signer.subject.slice(0, 200), hpr: signer.hpr ?? null, organisation: signer.organisation?.slice(0, 200) ?? null, test: signer.test },
          signedAt: result.signingTime.toISOString(),
        };
      }
      // Without a current CRL nobody can say the certificate was not revoked: not a forgery, but not trusted either.
      return { status: result.code === 'REVOCATION_UNKNOWN' ? 'unverifiable' : 'invalid', code: result.code, signer: null, signedAt: null };
    } catch {
      return { status: 'invalid', code: 'MALFORMED', signer: null, signedAt: null };
    }
  }

  save(resource: FhirResource): CallOutput<'journal.save'> {
    const { engine } = this.require();
    try {
      const recorded = this.withRecorder(this.require(), resource);
      const saved = engine.save(recorded);
      this.changedLocally(recorded);
      return { clientId: saved.clientId, resourceType: saved.resourceType, resourceId: saved.resourceId, savedAt: saved.savedAt };
    } catch (error) {
      if (error instanceof CacheError) {
        throw error;
      }
      throw new ContractError('REFUSED', error instanceof Error ? error.message : 'refused');
    }
  }

  /**
   * Who recorded an allergy, problem or critical-information flag is core's to say, not the
   * screen's (the renderer is not trusted; `Flag.author` also decides who sees a blocked flag):
   * a new one names the logged-in clinician, as a note's author is named (offline, before the
   * journal login, by their HPR number from the card); a change keeps the recorder of the
   * version it changes, whatever it sends.
   */
  private withRecorder(open: Workspace, resource: FhirResource): FhirResource {
    const field = RECORDER_FIELD[resource.resourceType];
    if (!field) {
      return resource;
    }
    // What the screen sent is replaced in every case (undefined: none; dropped when serialised).
    if (resource.id !== undefined) {
      return { ...resource, [field]: open.cache.getResource(resource.resourceType, resource.id)?.[field] };
    }
    const practitioner = this.session.practitionerReference();
    const clinician = this.session.status().clinician;
    const display = clinician?.name ? { display: clinician.name } : {};
    if (practitioner) {
      return { ...resource, [field]: { reference: practitioner, ...display } };
    }
    return { ...resource, [field]: clinician ? { identifier: { system: HPR_SYSTEM, value: clinician.hpr }, ...display } : undefined };
  }

  /**
   * Signs a new note with the clinician's card and saves it with its signature. The PIN is checked
   * by the card for this one signature (also when the card session is already logged in) and dropped.
   */
  signNote(composition: FhirResource, pin: string): CallOutput<'journal.signNote'> {
    const { engine } = this.require();
    const card = this.session.activeCard();
    const practitioner = this.session.practitionerReference();
    if (!card || !practitioner) {
      return { ok: false, code: 'NO_CARD' };
    }
    // The signature freezes what the note says: a reference to a record not yet in the journal
    // (a local id) could never be resolved there, and the note's one identifier is ours to set.
    if (JSON.stringify(composition).includes('/local-')) {
      throw new ContractError('REFUSED', 'The note refers to a record that is not in the journal yet; sync first, then sign.');
    }
    if (composition['identifier'] !== undefined) {
      throw new ContractError('INVALID_INPUT', 'A note to be signed gets its identifier from the workstation.');
    }
    try {
      card.login(pin);
      const signedAt = new Date();
      const name = this.session.status().clinician?.name;
      const signer = { reference: practitioner, ...(name ? { display: name } : {}) };
      // The signer is the note's author and legal attester: core names them from the login, so a
      // note can never claim an author other than the card that signed it.
      const authored: FhirResource = {
        ...composition,
        status: 'final',
        date: signedAt.toISOString(),
        author: [signer],
        attester: [{ mode: 'legal', time: signedAt.toISOString(), party: signer }],
      };
      const saved = engine.saveSignedNote(authored, (note) => signResourceVersion({ card, resource: note, versionId: '1', practitioner, now: signedAt }) as unknown as FhirResource);
      this.changedLocally(authored);
      return { ok: true, saved: { clientId: saved.clientId, resourceType: saved.resourceType, resourceId: saved.resourceId, savedAt: saved.savedAt } };
    } catch (error) {
      if (error instanceof CardError) {
        return { ok: false, code: cardFailureCode(error) };
      }
      throw error;
    }
  }

  /** At most one renewal at a time, and not more often than every 10 s (a journal that keeps refusing must not be hammered). */
  private renewing = false;
  private lastRenewAt = 0;
  private renewLogin(): void {
    const now = Date.now();
    if (this.renewing || now - this.lastRenewAt < 10_000) {
      return;
    }
    this.renewing = true;
    this.lastRenewAt = now;
    void this.session.renewJournalLogin().finally(() => {
      this.renewing = false;
    });
  }

  /** The chart shows a local change at once (as waiting): the renderer asks chart.open again. */
  private changedLocally(resource: FhirResource): void {
    const patientId = patientIdOf(resource);
    if (patientId !== null) {
      this.deps.events.emit('chart.updated', { patientId });
    }
  }

  saveDraft(key: string, patientId: string | null, value: unknown): { updatedAt: string } {
    const { cache } = this.require();
    cache.saveDraft({ key, patientId, value });
    return { updatedAt: cache.getDraft(key)?.updatedAt ?? new Date().toISOString() };
  }

  getDraft(key: string): CallOutput<'draft.get'> {
    return this.require().cache.getDraft(key) ?? null;
  }

  listDrafts(): CallOutput<'draft.list'> {
    return this.require().cache.listDrafts();
  }

  deleteDraft(key: string): { deleted: true } {
    this.require().cache.deleteDraft(key);
    return { deleted: true };
  }

  status(): SyncStatus {
    return this.open ? this.withNotice(this.open.engine.status()) : { ...idle, lastError: this.notice };
  }

  async syncNow(): Promise<SyncStatus> {
    return this.withNotice(await this.require().engine.drain());
  }

  conflicts(): CallOutput<'sync.conflicts'> {
    return this.require()
      .engine.conflicts()
      .map((c) => ({ id: c.id, resourceType: c.resourceType, resourceId: c.resourceId, mine: c.mine, theirs: c.theirs, createdAt: c.createdAt }));
  }

  resolve(conflictId: number, keep: 'mine' | 'theirs' | 'merged', merged?: FhirResource): SyncStatus {
    const { engine } = this.require();
    const conflict = engine.conflicts().find((c) => c.id === conflictId);
    if (!conflict) {
      throw new ContractError('REFUSED', `There is no conflict ${conflictId}.`);
    }
    if (merged && merged.resourceType !== conflict.resourceType) {
      throw new ContractError('INVALID_INPUT', 'A merge must be of the same resource type as the conflict.');
    }
    engine.resolveConflict(conflictId, keep === 'merged' && merged ? { keep: 'merged', resource: merged } : keep === 'theirs' ? { keep: 'theirs' } : { keep: 'mine' });
    // An open chart shows the decision at once (and its next pull brings their newest version).
    const decided = this.require().cache.getResource(conflict.resourceType, conflict.resourceId);
    if (decided) {
      this.changedLocally(decided);
    }
    return engine.status();
  }

  failed(): CallOutput<'sync.failed'> {
    return this.require()
      .engine.failed()
      .map((item) => ({ seq: item.seq, resourceType: item.resourceType, resourceId: item.resourceId, patientId: item.patientId, reason: item.lastError, savedAt: item.createdAt }));
  }

  discard(seq: number): SyncStatus {
    const { engine } = this.require();
    const item = engine.failed().find((failed) => failed.seq === seq);
    try {
      engine.discard(seq);
    } catch {
      throw new ContractError('REFUSED', `Change ${seq} is not waiting as refused.`);
    }
    if (item?.patientId) {
      this.deps.events.emit('chart.updated', { patientId: item.patientId });
    }
    return engine.status();
  }

  retry(seq: number): SyncStatus {
    const { engine } = this.require();
    try {
      engine.retryFailed(seq);
    } catch {
      throw new ContractError('REFUSED', `Change ${seq} is not waiting as refused.`);
    }
    return engine.status();
  }
}
