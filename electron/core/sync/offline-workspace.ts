import { createHash } from 'node:crypto';
import { readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ContractError, type CallOutput, type SessionStatus } from '../../../shared/contract';
import { CardError, cardFailureCode } from '../card/card-errors';
import { signResourceVersion } from '../signing/sign-resource';
import { CacheError, openCache, type FhirResource, type KeyStore, type OfflineCache } from '../cache';
import type { EventHub } from '../contract/event-hub';
import type { Logger } from '../logging/logger';
import type { SessionService } from '../session/session-service';
import { JournalClient } from './journal-client';
import { SyncEngine, type SyncStatus } from './sync-engine';
import { worklistPatients } from './worklist-prefetch';

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
  prefetch?: Promise<void>;
  pulls: Map<string, Promise<{ ok: true; written: number } | { ok: false; reason: string }>>;
}


/** The journal's origin, as the card login names it: the cache folder follows it. */
const journalAudienceOf = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`.toLowerCase();
};

/**
 * Where the caches for one journal live under the app's data folder: one cache per journal as well
 * as per clinician, since an outbox, its cursors and versions belong to the journal they came from.
 */
export const cacheRootFor = (dataDir: string, journalUrl: string): string =>
  join(dataDir, 'caches', createHash('sha256').update(journalAudienceOf(journalUrl)).digest('hex').slice(0, 16));

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
    private readonly deps: { journalUrl?: string; events: EventHub; log: Logger; fetchImpl?: typeof fetch },
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

  private openFor(hpr: string): void {
    const card = this.session.activeCard();
    if (!this.settings || !this.deps.journalUrl || !card) {
      return;
    }
    const { log, events } = this.deps;
    this.notice = null;
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
      const client = new JournalClient({
        fhirBase: `${this.deps.journalUrl}/fhir`,
        token: () => this.session.token(),
        ...(this.deps.fetchImpl ? { fetchImpl: this.deps.fetchImpl } : {}),
      });
      const engine = new SyncEngine({
        cache,
        client,
        log,
        onStatus: (status) => events.emit('sync.status', this.withNotice(status)),
        // A created record now has its real id: an open chart asks again.
        onSent: (patientId) => patientId !== null && events.emit('chart.updated', { patientId }),
      });
      const open: Workspace = { cache, engine, hpr, pulls: new Map() };
      this.open = open;
      engine.start();
      open.prefetch = this.prefetchWorklist(open, client);
    } catch (error) {
      // WRONG_CARD, key store trouble…: the session stays usable online-only; the status says why.
      try {
        opened?.close();
      } catch {
        // already closed or never usable
      }
      this.notice = error instanceof CacheError ? `The offline cache could not be opened (${error.code}).` : 'The offline cache could not be opened.';
      log.error({ code: error instanceof CacheError ? error.code : undefined }, 'offline cache not opened');
      events.emit('sync.status', { ...idle, lastError: this.notice });
    }
  }

  /**
   * Today's appointments and the GP list, fetched in the background a few at a time, so those
   * charts open from the cache even if the network drops later. Patients already cached are
   * brought up to date when opened instead. Stops at the next batch when the session locks.
   */
  private async prefetchWorklist(open: Workspace, client: JournalClient): Promise<void> {
    try {
      const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(new Date());
      const ids = await worklistPatients(client, open.hpr, today);
      const todo = ids.filter((id) => open.cache.getCursor(`patient:${id}`) === undefined);
      for (let i = 0; i < todo.length && this.open === open; i += 4) {
        const results = await Promise.all(todo.slice(i, i + 4).map((id) => this.pullOnce(open, id)));
        this.prefetched += results.filter((result) => result.ok).length;
      }
      this.deps.log.info({ patients: ids.length, pulled: this.prefetched }, 'worklist prefetched');
    } catch (error) {
      this.deps.log.warn({ errorType: error instanceof Error ? error.name : typeof error }, 'worklist prefetch stopped');
    }
  }

  private withNotice(status: SyncStatus): SyncStatus {
    return this.notice && status.lastError === null ? { ...status, lastError: this.notice } : status;
  }

  async close(): Promise<void> {
    const open = this.open;
    this.open = undefined;
    if (open) {
      await open.engine.stop();
      await open.prefetch;
      await Promise.allSettled(open.pulls.values());
      open.cache.close();
    }
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
      await pull;
      return { patientId, resources: this.patientFirst(cache.patientChart(patientId)), fromCache: false };
    }
    void pull.then((result) => {
      if (result.ok && result.written > 0) {
        this.deps.events.emit('chart.updated', { patientId });
      }
    });
    return { patientId, resources: this.patientFirst(cached), fromCache: true };
  }

  /** One pull per patient at a time: a second open while one runs shares it. */
  private pullOnce(open: Workspace, patientId: string): Promise<{ ok: true; written: number } | { ok: false; reason: string }> {
    const running = open.pulls.get(patientId);
    if (running) {
      return running;
    }
    const pull = open.engine.pullPatient(patientId).finally(() => open.pulls.delete(patientId));
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

  searchPatients(query: string, limit?: number): FhirResource[] {
    return this.require().cache.searchPatients(query, limit);
  }

  save(resource: FhirResource): CallOutput<'journal.save'> {
    const { engine } = this.require();
    try {
      const saved = engine.save(resource);
      return { clientId: saved.clientId, resourceType: saved.resourceType, resourceId: saved.resourceId, savedAt: saved.savedAt };
    } catch (error) {
      if (error instanceof CacheError) {
        throw error;
      }
      throw new ContractError('REFUSED', error instanceof Error ? error.message : 'refused');
    }
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
      const saved = engine.saveSignedNote(composition, (note) => signResourceVersion({ card, resource: note, versionId: '1', practitioner }) as unknown as FhirResource);
      return { ok: true, saved: { clientId: saved.clientId, resourceType: saved.resourceType, resourceId: saved.resourceId, savedAt: saved.savedAt } };
    } catch (error) {
      if (error instanceof CardError) {
        return { ok: false, code: cardFailureCode(error) };
      }
      throw error;
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
    return engine.status();
  }

  failed(): CallOutput<'sync.failed'> {
    return this.require()
      .engine.failed()
      .map((item) => ({ seq: item.seq, resourceType: item.resourceType, resourceId: item.resourceId, patientId: item.patientId, reason: item.lastError, savedAt: item.createdAt }));
  }

  discard(seq: number): SyncStatus {
    const { engine } = this.require();
    try {
      engine.discard(seq);
    } catch {
      throw new ContractError('REFUSED', `Change ${seq} is not waiting as refused.`);
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
