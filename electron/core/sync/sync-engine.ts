import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry } from 'fhir/r4';
import type { CacheStore, ConflictRecord, FhirResource, OutboxItem } from '../cache';
import type { Logger } from '../logging/logger';
import { backoffDelay } from './backoff';
import type { JournalClient, Outcome } from './journal-client';
import { CHANGE_TAG_SYSTEM, CLIENT_ID_SYSTEM, isOutboxRequest, prepareCreate, prepareSignedNote, prepareUpdate, type OutboxRequest } from './local-changes';

export interface SyncStatus {
  /** False after the journal could not be reached; true again after the next answer. */
  online: boolean;
  /** A push or pull is running now. */
  syncing: boolean;
  pending: number;
  /** When the oldest unsent change was saved (ISO), so the screen can say how long it has waited. */
  oldestPendingAt: string | null;
  lastSuccessfulSyncAt: string | null;
  conflicts: number;
  /** Changes the journal refused (4xx other than a conflict): kept, shown with the journal's reason. */
  failed: number;
  /** What went wrong last, in words for support (never patient data): e.g. "network (ECONNREFUSED)". */
  lastError: string | null;
  /** The journal wants a new login before it takes more changes. */
  needsLogin: boolean;
}

export interface SyncEngineOptions {
  cache: CacheStore;
  client: JournalClient;
  log: Logger;
  now?: () => Date;
  random?: () => number;
  /** Told whenever the status changes (the contract's `sync.status` event). */
  onStatus?: (status: SyncStatus) => void;
  /** Told when the journal took a change for a patient (a created record now has its real id). */
  onSent?: (patientId: string | null) => void;
  /** Pulls ask `_since` this much before the last cursor: writes can commit out of order on the server. */
  overlapMs?: number;
  /** Upper bound of one push run; the loop starts another at once when more are waiting. */
  batchSize?: number;
  /** Changes per batch request (default 50); the network-fault test uses few, for many requests to fault. */
  batchEntries?: number;
  /** Retry backoff bounds (defaults: backoff.ts); tests pass short ones. */
  backoff?: { baseMs?: number; capMs?: number };
}

export interface SavedChange {
  clientId: string;
  resourceType: string;
  resourceId: string;
  seq: number;
  savedAt: string;
}

type SendResult = { kind: 'sent'; resource?: FhirResource } | { kind: 'unsendable'; message: string } | Exclude<Outcome, { kind: 'ok' }>;

interface Pass {
  counts: { sent: number; deferred: number; conflicts: number; failed: number; nextDueAt: number | undefined };
  /** A whole request failed on the network: the rest of the pass waits for the next retry. */
  unreachable?: boolean;
  /** Resources with a change in conflict or refused: their later changes wait for the user. */
  stopped: Set<string>;
  /** Patients whose oldest change waits for a retry: FIFO, so their later changes wait too. */
  held: Set<string>;
}

/** Entries per batch request: one round trip for many changes, small enough to retry cheaply. */
const BATCH_ENTRIES = 50;
/** And bytes: well under the journal's body limit (16 MB), so a round of large documents is never refused whole. */
const BATCH_BYTES = 4_000_000;
/** After a 401, push again this long after (a new login also wakes the engine at once). */
const LOGIN_RETRY_MS = 30_000;
const VERSION_ID = /^[A-Za-z0-9.-]{1,64}$/;

const patientOf = (item: OutboxItem): string => item.patientId ?? `${item.resourceType}/${item.resourceId}`;

const diagnosticsOf = (outcome: unknown): string => {
  const issues = (outcome as { issue?: { diagnostics?: unknown; details?: { text?: unknown } }[] } | undefined)?.issue ?? [];
  const texts = issues.map((issue) => (typeof issue.diagnostics === 'string' ? issue.diagnostics : typeof issue.details?.text === 'string' ? issue.details.text : '')).filter(Boolean);
  return texts.join('; ').slice(0, 1000);
};

/** One batch-response entry as a send result, classified like a lone request's answer. */
const batchEntryResult = (answer: BundleEntry | undefined, sent: FhirResource): SendResult => {
  const status = Number(/^\d{3}/.exec(answer?.response?.status ?? '')?.[0] ?? NaN);
  if (!Number.isFinite(status)) {
    return { kind: 'retry', reason: 'bad-response' };
  }
  if (status >= 200 && status < 300) {
    const versionId = /^W\/"([^"]+)"$/.exec(answer?.response?.etag ?? '')?.[1];
    const resource = (answer?.resource as FhirResource | undefined) ?? (versionId !== undefined ? { ...sent, meta: { ...sent.meta, versionId } } : undefined);
    // A create answered without its new id can not replace the local copy: asked again (idempotent).
    return resource?.id ? { kind: 'sent', resource } : { kind: 'retry', reason: 'bad-response' };
  }
  const message = diagnosticsOf(answer?.response?.outcome) || `HTTP ${status}`;
  if (status === 409 || status === 412) {
    return { kind: 'conflict', status, message };
  }
  if (status === 401) {
    return { kind: 'unauthorized' };
  }
  if (status >= 500 || status === 429 || status === 408) {
    return { kind: 'retry', reason: status >= 500 ? 'server-error' : 'rate-limited', status };
  }
  return { kind: 'rejected', status, message };
};

/** More than a workstation ever queues; bounds one pass's read of the outbox. */
const MAX_PENDING_SCAN = 100_000;

const keyOf = (item: Pick<OutboxItem, 'resourceType' | 'resourceId'>): string => `${item.resourceType}/${item.resourceId}`;

/**
 * The workstation's sync engine. Local changes are durable in the outbox (one SQLite transaction
 * with the local row) before `save*` returns; the push loop sends them oldest first per patient,
 * idempotently (creates carry a client identifier + If-None-Exist, updates If-Match + a change
 * tag, a note and its signature one transaction), retries network errors and 5xx forever with
 * backoff and jitter, turns 409/412 into conflicts the user resolves, and stops other 4xx with the
 * journal's reason. Pulls de-duplicate by (type, id, versionId) in the cache.
 */
export class SyncEngine {
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly overlapMs: number;
  private readonly batchSize: number;
  private state = { online: true, syncing: false, lastSuccessfulSyncAt: null as string | null, lastError: null as string | null, needsLogin: false };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;
  private nextDueAt: number | undefined;
  /** Bumped by stop(): a pass in flight ends at its next round. */
  private generation = 0;

  constructor(private readonly options: SyncEngineOptions) {
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.overlapMs = options.overlapMs ?? 5 * 60_000;
    this.batchSize = options.batchSize ?? 200;
  }

  // ---- local changes: durable before they return -------------------------------------------

  /** Saves a new or changed resource: it is in the outbox on disk when this returns. */
  save(resource: FhirResource): SavedChange {
    const clientId = randomUUID();
    const { cache } = this.options;
    let item: OutboxItem;
    if (resource.id === undefined || resource.meta?.versionId === undefined) {
      if (resource.id !== undefined && !resource.id.startsWith('local-')) {
        throw new Error('a change to an existing resource needs the versionId that was edited');
      }
      if (resource.id?.startsWith('local-')) {
        throw new Error('this resource is not in the journal yet; change it once it has been sent');
      }
      const { resource: local, request } = prepareCreate(resource, clientId);
      item = cache.writeLocalChange({ resource: local, request, clientId, kind: 'create' });
    } else {
      if (resource.id.startsWith('local-')) {
        throw new Error('this resource is not in the journal yet; change it once it has been sent');
      }
      const chained = cache.hasQueued(resource.resourceType, resource.id);
      const { resource: local, request } = prepareUpdate(resource, clientId, chained);
      item = cache.writeLocalChange({ resource: local, request, clientId, kind: 'update' });
    }
    this.changed();
    return { clientId, resourceType: item.resourceType, resourceId: item.resourceId, seq: item.seq, savedAt: item.createdAt };
  }

  /**
   * A note signed on the card: `sign` gets the note as it will be stored (with its id) and returns
   * the Provenance carrying the signature; both are saved together and sent in one transaction.
   */
  saveSignedNote(composition: FhirResource, sign: (note: FhirResource & { id: string }) => FhirResource): SavedChange {
    const clientId = randomUUID();
    const { resource, request } = prepareSignedNote(composition, clientId, sign);
    const item = this.options.cache.writeLocalChange({ resource, request, clientId, kind: 'transaction' });
    this.changed();
    return { clientId, resourceType: item.resourceType, resourceId: item.resourceId, seq: item.seq, savedAt: item.createdAt };
  }

  private changed(): void {
    this.publish();
    if (this.started) {
      this.kick();
    }
  }

  // ---- push ----------------------------------------------------------------------------------

  /**
   * One pass over the outbox, oldest first, in rounds: each round takes the oldest sendable change
   * of each patient (FIFO per patient: a patient's next change waits for the answer to the one
   * before) and sends creates and updates together in one FHIR batch, each entry with its own
   * If-None-Exist / If-Match, so one round trip carries many changes. A patient whose change
   * waits for a retry is held for the pass; a resource in conflict or refused holds back later
   * changes to that resource until the user decides.
   */
  async pushOnce(): Promise<{ sent: number; deferred: number; conflicts: number; failed: number; nextDueAt: number | undefined }> {
    const { cache } = this.options;
    const pass: Pass = {
      counts: { sent: 0, deferred: 0, conflicts: 0, failed: 0, nextDueAt: undefined },
      stopped: new Set(cache.stoppedResources().map(keyOf)),
      held: new Set<string>(),
    };
    // All that is pending, not just the first batch: changes held behind a stopped resource must
    // not keep other patients' changes from being seen. A pass sends at most batchSize.
    let pending = cache.pendingOutbox(MAX_PENDING_SCAN);
    const generation = this.generation;
    // Stops between rounds when the engine is stopped (lock) or the journal is unreachable: a
    // pass must not walk every patient through 30-second timeouts while a lock waits for it.
    while (pending.length > 0 && generation === this.generation && !pass.unreachable) {
      const round: OutboxItem[] = [];
      const inRound = new Set<string>();
      const now = this.now().getTime();
      for (const item of pending) {
        if (round.length >= (this.options.batchEntries ?? BATCH_ENTRIES) || pass.counts.sent + pass.counts.deferred + round.length >= this.batchSize) {
          break;
        }
        if (pass.stopped.has(keyOf(item))) {
          continue; // waits for the user's decision on the change before it
        }
        const patient = patientOf(item);
        if (inRound.has(patient) || pass.held.has(patient)) {
          continue; // FIFO: waits for the answer to this patient's earlier change
        }
        inRound.add(patient);
        if (item.nextAttemptAt !== null && Date.parse(item.nextAttemptAt) > now) {
          pass.held.add(patient);
          this.due(pass, Date.parse(item.nextAttemptAt));
          continue;
        }
        round.push(item);
      }
      if (round.length === 0) {
        if (pass.counts.sent + pass.counts.deferred >= this.batchSize) {
          this.due(pass, this.now().getTime());
        }
        break;
      }
      const results = await this.sendRound(round);
      let unauthorized = false;
      // Every answer of the round is recorded first: entries the journal took are sent, whatever
      // else happened; those together in one SQLite transaction (one fsync, not one per change).
      cache.atomically(() => {
        for (const [index, item] of round.entries()) {
          const result = results[index];
          if (result?.kind === 'sent') {
            this.applySent(item, result, pass);
          }
        }
      });
      for (const [index, item] of round.entries()) {
        const result = results[index] ?? ({ kind: 'retry', reason: 'bad-response' } as const);
        if (result.kind === 'sent') {
          continue;
        }
        if (result.kind === 'unauthorized') {
          unauthorized = true;
          continue;
        }
        if (result.kind === 'retry' && (result.reason === 'network' || result.reason === 'timeout')) {
          pass.unreachable = true;
        }
        await this.apply(item, result, pass);
      }
      if (unauthorized) {
        this.again = false; // a save meanwhile must not send straight into another 401
        this.state.needsLogin = true;
        this.state.lastError = 'login needed';
        this.publish();
        // Tried again after a while even if no new login is announced (e.g. the journal restarted).
        return { ...pass.counts, nextDueAt: this.now().getTime() + LOGIN_RETRY_MS };
      }
      const done = new Set(round.map((item) => item.seq));
      pending = pending.filter((item) => !done.has(item.seq));
    }
    if (pass.unreachable) {
      // Whatever was not tried this pass goes when the first retry is due.
      this.due(pass, this.now().getTime() + backoffDelay(0, { ...this.options.backoff, random: this.random }));
    }
    if (pass.counts.sent > 0 || pass.counts.failed > 0 || pass.counts.conflicts > 0) {
      this.state.needsLogin = false;
    }
    this.publish();
    return pass.counts;
  }

  private due(pass: Pass, at: number): void {
    pass.counts.nextDueAt = pass.counts.nextDueAt === undefined ? at : Math.min(pass.counts.nextDueAt, at);
  }

  private applySent(item: OutboxItem, result: Extract<SendResult, { kind: 'sent' }>, pass: Pass): void {
    this.options.cache.markSent(item.seq, result.resource);
    this.reached();
    pass.counts.sent += 1;
    this.options.onSent?.(item.patientId);
  }

  /** One change's answer, recorded: sent, retried later, kept as a conflict, or stopped with the reason. */
  private async apply(item: OutboxItem, result: SendResult, pass: Pass): Promise<void> {
    const { cache, log } = this.options;
    const patient = patientOf(item);
    switch (result.kind) {
      case 'sent':
        this.applySent(item, result, pass);
        return;
      case 'retry': {
        const delay = backoffDelay(item.attempts, { ...this.options.backoff, random: this.random, ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}) });
        const reason = `${result.reason}${result.status ? ` ${result.status}` : ''}${result.code ? ` (${result.code})` : ''}`;
        const at = this.now().getTime() + delay;
        cache.deferRetry(item.seq, new Date(at), reason);
        this.due(pass, at);
        pass.held.add(patient);
        this.state.lastError = reason;
        if (result.reason === 'network' || result.reason === 'timeout') {
          this.state.online = false;
        }
        pass.counts.deferred += 1;
        return;
      }
      case 'conflict': {
        const outcome = await this.onConflict(item);
        if (outcome.kind === 'sent') {
          cache.markSent(item.seq, outcome.resource);
          pass.counts.sent += 1;
          this.options.onSent?.(item.patientId);
        } else if (outcome.kind === 'refused') {
          cache.markFailed(item.seq, outcome.message);
          pass.stopped.add(keyOf(item));
          pass.counts.failed += 1;
        } else if (outcome.kind === 'retry') {
          const at = this.now().getTime() + backoffDelay(item.attempts, { ...this.options.backoff, random: this.random });
          cache.deferRetry(item.seq, new Date(at), outcome.reason);
          this.due(pass, at);
          pass.held.add(patient);
          pass.counts.deferred += 1;
        } else {
          cache.recordConflict(item.seq, this.mineOf(item), outcome.theirs);
          log.info({ resourceType: item.resourceType, status: result.status }, 'sync conflict kept for the user');
          pass.stopped.add(keyOf(item));
          pass.counts.conflicts += 1;
        }
        return;
      }
      case 'rejected':
        cache.markFailed(item.seq, `${result.status}: ${result.message}`.slice(0, 1000));
        log.warn({ resourceType: item.resourceType, status: result.status }, 'journal refused a change; kept and shown');
        pass.stopped.add(keyOf(item));
        this.reached();
        pass.counts.failed += 1;
        return;
      case 'unauthorized':
        return;
      case 'unsendable':
        // A change this engine can not even send (unknown request, bad version id): stop it, keep it, go on.
        cache.markFailed(item.seq, `not sendable: ${result.message}`.slice(0, 1000));
        log.error({ resourceType: item.resourceType }, 'outbox item could not be sent; kept as failed');
        pass.stopped.add(keyOf(item));
        pass.counts.failed += 1;
        return;
    }
  }

  /**
   * Sends a round: a lone change or a note transaction on its own; creates and updates together
   * as one batch Bundle. A failure of the whole request (network, 5xx, login) is every entry's.
   */
  private async sendRound(round: OutboxItem[]): Promise<SendResult[]> {
    const batchable: { item: OutboxItem; entry: BundleEntry; sent: FhirResource }[] = [];
    const results = new Map<number, SendResult>();
    let batchBytes = 0;
    for (const item of round) {
      let request: OutboxRequest;
      try {
        request = this.requestOf(item);
      } catch (error) {
        results.set(item.seq, { kind: 'unsendable', message: error instanceof Error ? error.message : 'unknown' });
        continue;
      }
      if (request.kind === 'transaction' || round.length === 1 || batchBytes + Buffer.byteLength(JSON.stringify(request)) > BATCH_BYTES) {
        results.set(item.seq, await this.sendOne(item));
      } else if (request.kind === 'create') {
        batchBytes += Buffer.byteLength(JSON.stringify(request.resource));
        batchable.push({ item, sent: request.resource, entry: { resource: request.resource, request: { method: 'POST', url: item.resourceType, ifNoneExist: request.ifNoneExist } } });
      } else {
        const base = this.baseVersion(item, request);
        if (!VERSION_ID.test(base)) {
          results.set(item.seq, { kind: 'unsendable', message: 'the version the change was made on is not a version id' });
          continue;
        }
        const body = { ...request.resource, meta: { ...request.resource.meta, versionId: base } };
        batchBytes += Buffer.byteLength(JSON.stringify(body));
        batchable.push({ item, sent: body, entry: { resource: body, request: { method: 'PUT', url: `${item.resourceType}/${item.resourceId}`, ifMatch: `W/"${base}"` } } });
      }
    }
    if (batchable.length > 0) {
      const outcome = await this.options.client.transaction({ resourceType: 'Bundle', type: 'batch', entry: batchable.map((b) => b.entry) });
      if (outcome.kind === 'rejected' || outcome.kind === 'conflict') {
        // The journal refused the batch as a whole (too large, not allowed…): that says nothing
        // about each change, so each goes on its own and gets its own answer.
        for (const { item } of batchable) {
          results.set(item.seq, await this.sendOne(item));
        }
      } else {
        const answers = outcome.kind === 'ok' ? ((outcome.body as Bundle | undefined)?.entry ?? []) : [];
        batchable.forEach(({ item, sent }, index) => {
          results.set(item.seq, outcome.kind === 'ok' ? batchEntryResult(answers[index], sent) : outcome);
        });
      }
    }
    return round.map((item) => results.get(item.seq) ?? { kind: 'retry', reason: 'bad-response' });
  }

  private baseVersion(item: OutboxItem, request: Extract<OutboxRequest, { kind: 'update' }>): string {
    return request.chained ? (this.options.cache.lastSentVersion(item.resourceType, item.resourceId) ?? request.ifMatch) : request.ifMatch;
  }

  /**
   * A 409/412: is it really someone else's change? If the journal's current version carries this
   * change's tag, our earlier attempt went through and only its answer was lost. If it carries the
   * tag of the change the user edited on top of (ours, sent meanwhile), send again on that
   * version. Otherwise it is a conflict for the user.
   */
  private async onConflict(
    item: OutboxItem,
  ): Promise<{ kind: 'sent'; resource: FhirResource } | { kind: 'retry'; reason: string } | { kind: 'refused'; message: string } | { kind: 'conflict'; theirs: FhirResource }> {
    const request = this.requestOf(item);
    if (request.kind !== 'update') {
      // A create or note the journal will not take as new (e.g. a match the clinician may not see):
      // sent if our own copy is there, else stopped with the reason; never retried forever.
      const identifier = request.kind === 'transaction' ? request.probe.identifier : `${CLIENT_ID_SYSTEM}|${item.clientId}`;
      const found = await this.findByIdentifier(item.resourceType, identifier);
      if (found.kind === 'found') {
        return { kind: 'sent', resource: found.resource };
      }
      return found.kind === 'failed' && found.failure.kind === 'retry'
        ? { kind: 'retry', reason: 'conflict check' }
        : { kind: 'refused', message: 'the journal would not take this as a new record (409)' };
    }
    const theirs = await this.options.client.read(item.resourceType, item.resourceId);
    if (theirs.kind !== 'ok' || !theirs.resource) {
      return theirs.kind === 'retry' ? { kind: 'retry', reason: 'conflict check' } : { kind: 'refused', message: 'the record could not be read back after a conflict' };
    }
    const current = theirs.resource as FhirResource;
    if (this.isOwnChange(current, item.clientId)) {
      return { kind: 'sent', resource: current };
    }
    const currentVersion = current.meta?.versionId;
    // Only the exact version our own earlier change produced: another writer that kept our tag
    // (an integration copying meta) must show as a conflict, never be overwritten.
    const ourVersion = this.options.cache.lastSentVersion(item.resourceType, item.resourceId);
    if (
      request.basedOnChange !== undefined &&
      currentVersion !== undefined &&
      currentVersion === ourVersion &&
      this.isOwnChange(current, request.basedOnChange)
    ) {
      const body = { ...request.resource, meta: { ...request.resource.meta, versionId: currentVersion } };
      const again = await this.options.client.update(body, currentVersion);
      if (again.kind === 'ok') {
        return { kind: 'sent', resource: this.acceptedResource(again, body) };
      }
      return again.kind === 'conflict' ? { kind: 'conflict', theirs: current } : { kind: 'retry', reason: again.kind };
    }
    return { kind: 'conflict', theirs: current };
  }

  private mineOf(item: OutboxItem): unknown {
    const request = this.requestOf(item);
    return request.kind === 'transaction' ? request : request.resource;
  }

  /** The stored version as the journal answered it; from the ETag when the body was left out. */
  private acceptedResource(outcome: Extract<Outcome, { kind: 'ok' }>, sent: FhirResource): FhirResource {
    if (outcome.resource) {
      return outcome.resource as FhirResource;
    }
    return outcome.versionId !== undefined ? { ...sent, meta: { ...sent.meta, versionId: outcome.versionId } } : sent;
  }

  private requestOf(item: OutboxItem): OutboxRequest {
    if (!isOutboxRequest(item.request)) {
      throw new Error(`outbox item ${item.seq} holds no request this engine knows`);
    }
    return item.request;
  }

  private isOwnChange(current: FhirResource, clientId: string): boolean {
    const tags = Array.isArray(current.meta?.['tag']) ? (current.meta['tag'] as { system?: unknown; code?: unknown }[]) : [];
    return tags.some((tag) => tag.system === CHANGE_TAG_SYSTEM && tag.code === clientId);
  }

  private async sendOne(item: OutboxItem): Promise<SendResult> {
    try {
      return await this.send(item);
    } catch (error) {
      return { kind: 'unsendable', message: error instanceof Error ? error.message : 'unknown' };
    }
  }

  private async send(item: OutboxItem): Promise<SendResult> {
    const { client } = this.options;
    const request = this.requestOf(item);
    switch (request.kind) {
      case 'create': {
        const outcome = await client.create(request.resource, request.ifNoneExist);
        if (outcome.kind !== 'ok') {
          return outcome;
        }
        // Without the server's id the local copy could never be replaced: ask again (idempotent).
        return outcome.resource?.id ? { kind: 'sent', resource: outcome.resource as FhirResource } : { kind: 'retry', reason: 'bad-response' };
      }
      case 'update': {
        const base = this.baseVersion(item, request);
        const body = { ...request.resource, meta: { ...request.resource.meta, versionId: base } };
        const outcome = await client.update(body, base);
        return outcome.kind === 'ok' ? { kind: 'sent', resource: this.acceptedResource(outcome, body) } : outcome;
      }
      case 'transaction': {
        // Atomic on the server: if the note is there, its signature is too. Looked for before a
        // retry (an earlier answer was lost), and when the journal refuses the transaction (a
        // first attempt whose answer a crash lost finds the note already there).
        const probe = async (): Promise<SendResult | undefined> => {
          const found = await this.findByIdentifier(request.probe.resourceType, request.probe.identifier);
          if (found.kind === 'missing') {
            return undefined;
          }
          if (found.kind === 'found') {
            return { kind: 'sent', resource: found.resource };
          }
          // A look-up that failed says nothing about the note: try again later (a 401 waits for login).
          return found.failure.kind === 'unauthorized' ? found.failure : { kind: 'retry', reason: 'bad-response' };
        };
        if (item.attempts > 0) {
          const earlier = await probe();
          if (earlier) {
            return earlier;
          }
        }
        const outcome = await client.transaction(request.bundle);
        if (outcome.kind === 'rejected' || outcome.kind === 'conflict') {
          return (await probe()) ?? outcome;
        }
        if (outcome.kind !== 'ok') {
          return outcome;
        }
        // The note as stored, from the transaction's answer (or looked up): without its server id
        // the local copy could never be replaced, so an answer without it is retried (the probe
        // above makes that safe).
        const answer = ((outcome.body as Bundle | undefined)?.entry ?? []).find((entry) => entry.resource?.resourceType === request.probe.resourceType)?.resource;
        if (answer?.id) {
          return { kind: 'sent', resource: answer as FhirResource };
        }
        const stored = await this.findByIdentifier(request.probe.resourceType, request.probe.identifier);
        return stored.kind === 'found' ? { kind: 'sent', resource: stored.resource } : { kind: 'retry', reason: 'bad-response' };
      }
    }
  }

  private async findByIdentifier(
    type: string,
    identifier: string,
  ): Promise<{ kind: 'found'; resource: FhirResource } | { kind: 'missing' } | { kind: 'failed'; failure: Exclude<Outcome, { kind: 'ok' }> }> {
    const outcome = await this.options.client.search(type, { identifier });
    if (outcome.kind !== 'ok') {
      return { kind: 'failed', failure: outcome };
    }
    const resource = (outcome.body as Bundle | undefined)?.entry?.[0]?.resource;
    return resource ? { kind: 'found', resource: resource as FhirResource } : { kind: 'missing' };
  }

  // ---- pull ----------------------------------------------------------------------------------

  /** Fetches a patient's record (everything the first time, then `_since` the last cursor less an overlap). */
  async pullPatient(patientId: string): Promise<{ ok: true; written: number; blocked: boolean; dropped: number } | { ok: false; reason: string; refused?: string; dropped?: number }> {
    const { cache, client } = this.options;
    const scope = `patient:${patientId}`;
    const cursor = cache.getCursor(scope);
    const since = cursor ? new Date(Date.parse(cursor) - this.overlapMs).toISOString() : undefined;
    let result = await client.everything(patientId, since);
    if (result.kind === 'ok' && result.blocked && since !== undefined) {
      // A block applies: what it hides may be here from before, and a delta can not say what; a
      // full pull says what this clinician may still see.
      result = await client.everything(patientId);
    }
    if (result.kind === 'rejected' && result.status === 403) {
      // No basis any more (a self-authorisation ran out, the patient left the list): nothing of
      // the record stays on this PC beyond what search may show, and the next open asks again.
      const dropped = cache.dropPatientRecord(patientId);
      cache.clearCursor(scope);
      this.reached();
      this.publish();
      return { ok: false, reason: 'refused', refused: result.message, dropped };
    }
    if (result.kind !== 'ok') {
      if (result.kind === 'retry' && (result.reason === 'network' || result.reason === 'timeout')) {
        this.state.online = false;
      }
      if (result.kind === 'unauthorized') {
        this.state.needsLogin = true;
      }
      this.state.lastError = `pull: ${result.kind}`;
      this.publish();
      return { ok: false, reason: result.kind };
    }
    const { written } = cache.putResources(result.resources as FhirResource[]);
    const dropped = result.blocked ? cache.dropPatientRecord(patientId, new Set(result.resources.map((r) => `${r.resourceType}/${r.id ?? ''}`))) : 0;
    if (result.since) {
      cache.setCursor(scope, result.since);
    }
    this.reached();
    this.publish();
    return { ok: true, written: written + dropped, blocked: result.blocked, dropped };
  }

  private reached(): void {
    this.state.online = true;
    this.state.needsLogin = false;
    this.state.lastSuccessfulSyncAt = this.now().toISOString();
  }

  // ---- the loop ------------------------------------------------------------------------------

  /** Starts pushing in the background: now, after every save, and when the next retry is due. */
  start(): void {
    this.started = true;
    this.kick();
  }

  /** Stops the loop; waits for a push in flight to finish (its results are recorded). */
  async stop(): Promise<void> {
    this.started = false;
    this.generation += 1;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Run a push now (or right after the one running). */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when the outbox has nothing left that can be sent now (tests and `sync.now`). */
  async drain(): Promise<SyncStatus> {
    this.kick();
    while (this.running) {
      await this.running;
    }
    return this.status();
  }

  private async loop(): Promise<void> {
    this.state.syncing = true;
    this.publish();
    try {
      do {
        this.again = false;
        const counts = await this.pushOnce();
        this.nextDueAt = counts.nextDueAt;
        // A full batch sent: more may be waiting right behind it.
        if (counts.sent >= this.batchSize) {
          this.again = true;
        }
      } while (this.again && this.started);
    } catch (error) {
      this.options.log.error({ errorType: error instanceof Error ? error.name : typeof error }, 'sync push failed');
      this.state.lastError = 'internal';
    } finally {
      this.state.syncing = false;
      this.publish();
      this.scheduleNext();
    }
  }

  /** Wakes when the earliest change that could be sent is due; nothing held behind a stopped change keeps it awake. */
  private scheduleNext(): void {
    if (!this.started || this.nextDueAt === undefined) {
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), Math.max(50, this.nextDueAt - this.now().getTime()));
    this.timer.unref();
  }

  /** After a new login: the journal takes changes again. */
  loggedIn(): void {
    this.state.needsLogin = false;
    if (this.started) {
      this.kick();
    }
  }

  // ---- status and conflicts ------------------------------------------------------------------

  status(): SyncStatus {
    const stats = this.options.cache.outboxStats();
    return {
      ...this.state,
      pending: stats.pending,
      oldestPendingAt: stats.oldestPendingCreatedAt,
      conflicts: stats.conflicts,
      failed: stats.failed,
    };
  }

  private publish(): void {
    this.options.onStatus?.(this.status());
  }

  conflicts(): ConflictRecord[] {
    return this.options.cache.conflicts();
  }

  /**
   * The user's decision on a conflict: take theirs (my change is dropped, theirs cached), keep
   * mine on top of theirs (sent again with If-Match on their version), or a merged version (the
   * same, with the user's merge as the body).
   */
  resolveConflict(conflictId: number, decision: { keep: 'theirs' } | { keep: 'mine' } | { keep: 'merged'; resource: FhirResource }): void {
    const { cache } = this.options;
    const conflict = cache.conflicts().find((c) => c.id === conflictId);
    if (!conflict) {
      throw new Error(`no conflict ${conflictId}`);
    }
    if (decision.keep === 'theirs') {
      const patientId = cache.allOutbox().find((queued) => queued.seq === conflict.outboxSeq)?.patientId ?? null;
      cache.resolveConflict(conflictId, { keep: 'theirs' });
      // Their version as it was at the conflict may be old by now: the next pull fetches it all.
      if (patientId !== null) {
        cache.clearCursor(`patient:${patientId}`);
      }
    } else {
      if (decision.keep === 'merged' && decision.resource.resourceType !== conflict.resourceType) {
        throw new Error('a merge must be of the same resource type as the conflict');
      }
      const theirsVersion = conflict.theirs.meta?.versionId;
      if (theirsVersion === undefined) {
        throw new Error('their version has no versionId to build on');
      }
      const mine = decision.keep === 'merged' ? decision.resource : (conflict.mine as FhirResource);
      const item = cache.allOutbox().find((queued) => queued.seq === conflict.outboxSeq);
      const { request } = prepareUpdate({ ...mine, id: conflict.resourceId, meta: { ...mine.meta, versionId: theirsVersion } }, item?.clientId ?? randomUUID(), false);
      cache.resolveConflict(conflictId, { keep: 'mine', request });
    }
    this.changed();
  }

  /** Changes the journal refused, with its reason: shown to the user to retry or discard. */
  failed(): OutboxItem[] {
    return this.options.cache.failedOutbox();
  }

  /** Throws a refused change away (the user decided); the journal's version comes back with the next pull. */
  discard(seq: number): void {
    const item = this.options.cache.failedOutbox().find((failed) => failed.seq === seq);
    if (!item) {
      throw new Error(`change ${seq} is not waiting as refused`);
    }
    this.options.cache.discardChange(seq);
    this.changed();
  }

  /** A refused change the user wants sent again (after the cause was fixed on the server side). */
  retryFailed(seq: number): void {
    this.options.cache.retryFailed(seq);
    this.changed();
  }
}
