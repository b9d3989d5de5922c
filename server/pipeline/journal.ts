import type { Queryable } from '../db/database';
import { FhirError } from '../fhir/operation-outcome';
import { assertSupportedType, assertValidId, validateResource } from '../fhir/validate-resource';
import type { HistoryEntry, HistoryQuery, ResourceStore, SearchResult, StoredResource } from '../store/resource-store';
import { parseSearch } from '../store/search-query';
import { assertMayWriteDirectory, checkDirectoryResource, danglingRole } from '../directory/directory-rules';
import type { AccessPolicy, Interaction } from './access-policy';
import { patientOf, type AuditRecord, type AuditWriter } from './audit-writer';
import type { Principal } from './principal';

export interface JournalDeps {
  store: ResourceStore;
  policy: AccessPolicy;
  audit: AuditWriter;
}

export type Query = ReadonlyArray<[string, string]>;

/**
 * The only way to the store: every interaction passes the principal to the access policy, runs
 * with the visibility the policy gives, and is written to the audit log with its outcome (also
 * when it fails). The HTTP layer gets a JournalSession per request and never sees the store.
 */
export interface JournalSession {
  readonly principal: Principal;
  read(type: string, id: string, tx?: Queryable): Promise<StoredResource>;
  vread(type: string, id: string, versionId: number): Promise<StoredResource>;
  create(type: string, body: unknown, options?: { ifNoneExist?: Query; id?: string; tx?: Queryable }): Promise<{ stored: StoredResource; created: boolean }>;
  update(type: string, id: string, body: unknown, ifMatch: number | undefined, tx?: Queryable): Promise<{ stored: StoredResource; created: boolean }>;
  search(type: string, query: Query, tx?: Queryable): Promise<SearchResult>;
  history(query: HistoryQuery): Promise<{ entries: HistoryEntry[]; nextBefore: number | undefined }>;
  everything(patientId: string, since: Date | undefined): Promise<StoredResource[]>;
  /**
   * Loads resources that already carry ids (the synthetic population, later migrations from other
   * systems), validated like any create, in one transaction per call.
   */
  importResources(resources: readonly unknown[]): Promise<number>;
  /** For bundle processing: authorise the whole bundle once (a refusal is audited). */
  authorize(interaction: Interaction): Promise<void>;
  /**
   * Audits a request the HTTP layer refused before any interaction ran (malformed bytes, a limit,
   * a bad parameter): a refused attempt is traced like one the pipeline refused.
   */
  recordRefusal(interaction: Interaction, outcome: number, about?: { resourceType?: string; resourceId?: string }): Promise<void>;
  /**
   * Runs `work` in one database transaction. Audit records of the interactions inside are written
   * after it ends, committed or rolled back: an attempt is logged even when nothing was stored,
   * and PGlite's single connection is not asked for a second statement while the first is open.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Inside `transaction`: one independent piece of work (a batch entry) under a savepoint. When it
   * fails only its own writes are undone, and the audit records it left say it failed; the rest
   * of the transaction goes on. Many batch entries then cost one commit instead of one each.
   */
  savepoint<T>(tx: Queryable, work: () => Promise<T>): Promise<T>;
  exists(type: string, id: string, tx: Queryable): Promise<boolean>;
  /** Of these `Type/id` keys, those not in the journal. */
  missing(keys: readonly string[], tx: Queryable): Promise<string[]>;
}

export interface Journal {
  as(principal: Principal): JournalSession;
}

/** The audit trail is written by the server alone: AuditEvents can not be created or changed over the API. */
const assertWritable = (type: string): void => {
  if (type === 'AuditEvent') {
    throw new FhirError(405, 'not-supported', 'AuditEvents are written by the journal itself and can not be created or changed.');
  }
};

const statusOf = (error: unknown): number => (error instanceof FhirError ? error.status : 500);

/** A directory resource may only name directory entries the journal holds (or that `alsoHere` brings). */
const assertDirectoryTargets = async (store: ResourceStore, tx: Queryable, required: readonly string[], alsoHere: ReadonlySet<string> = new Set()): Promise<void> => {
  const unknown = required.filter((key) => !alsoHere.has(key));
  if (unknown.length === 0) {
    return;
  }
  const missing = await store.missing(tx, unknown);
  if (missing.length > 0) {
    throw danglingRole(missing);
  }
};
/** Errors whose refusal the journal has already written to the audit log. */
const auditedErrors = new WeakSet<object>();
const markAudited = (error: unknown): void => {
  if (typeof error === 'object' && error !== null) {
    auditedErrors.add(error);
  }
};
/** Whether the journal audited this failure itself; the HTTP layer audits the others (`recordRefusal`). */
export const auditedByJournal = (error: unknown): boolean => typeof error === 'object' && error !== null && auditedErrors.has(error);

export const createJournal = ({ store, policy, audit }: JournalDeps): Journal => ({
  as(principal) {
    const visibility = policy.visibility(principal);

    /** Records of interactions inside an open transaction, written when it ends. */
    let deferred: AuditRecord[] | undefined;
    const write = async (...records: AuditRecord[]): Promise<void> => {
      if (deferred) {
        deferred.push(...records);
      } else if (records.length > 0) {
        await audit.record(records);
      }
    };

    /** Authorise, run, audit the outcome (success or failure), rethrow failures. */
    const audited = async <T>(
      interaction: Interaction,
      resourceType: string | undefined,
      run: () => Promise<T>,
      describe: (result: T) => Omit<AuditRecord, 'principal' | 'interaction' | 'outcome'>[] = () => [{ ...(resourceType ? { resourceType } : {}) }],
      success = 200,
      /** Named in the record of a failure too, so a refused attempt on a resource can be traced. */
      resourceId?: string,
    ): Promise<T> => {
      try {
        policy.authorize(principal, interaction, resourceType);
        const result = await run();
        // One statement (one commit) for all records of the interaction, e.g. every patient a search touched.
        await write(...describe(result).map((record) => ({ principal, interaction, outcome: success, ...record })));
        return result;
      } catch (error) {
        await write({
          principal,
          interaction,
          outcome: statusOf(error),
          ...(resourceType ? { resourceType } : {}),
          ...(resourceId ? { resourceId, ...(resourceType === 'Patient' ? { patientId: resourceId } : {}) } : {}),
        });
        markAudited(error);
        throw error;
      }
    };

    /**
     * A successful write is audited inside its own transaction (one commit for both); inside a
     * bundle transaction the record waits for the end like the others.
     */
    const recordIn = async (tx: Queryable, interaction: Interaction, stored: StoredResource, outcome: number): Promise<void> => {
      const record: AuditRecord = { principal, interaction, outcome, ...about(stored) };
      if (deferred) {
        deferred.push(record);
      } else {
        await audit.record([record], tx);
      }
    };

    const about = (stored: StoredResource) => {
      const patientId = patientOf(stored.resourceType, stored.resource);
      return { resourceType: stored.resourceType, resourceId: stored.id, ...(patientId ? { patientId } : {}) };
    };

    return {
      principal,
      authorize: async (interaction) => {
        try {
          policy.authorize(principal, interaction, undefined);
        } catch (error) {
          await audit.record([{ principal, interaction, outcome: statusOf(error) }]);
          markAudited(error);
          throw error;
        }
      },
      recordRefusal: async (interaction, outcome, about = {}) => {
        const { resourceType, resourceId } = about;
        await audit.record([
          {
            principal,
            interaction,
            outcome,
            ...(resourceType ? { resourceType } : {}),
            ...(resourceId ? { resourceId, ...(resourceType === 'Patient' ? { patientId: resourceId } : {}) } : {}),
          },
        ]);
      },
      transaction: async (work) => {
        // Records of the entries are written inside the transaction when it commits, and after
        // the rollback (with the failure's status) when it does not: never a success for a write
        // that was rolled back, never a committed write without its record.
        const records: AuditRecord[] = [];
        deferred = records;
        try {
          return await store.db.transaction(async (tx) => {
            const result = await work(tx);
            deferred = undefined;
            await audit.record(records, tx);
            return result;
          });
        } catch (error) {
          deferred = undefined;
          const status = statusOf(error);
          await audit.record(records.map((record) => ({ ...record, outcome: record.outcome >= 400 ? record.outcome : status })));
          // The entries' records name the failure; a transaction refused before any entry ran has
          // none, and is audited by the HTTP layer as a whole.
          if (records.length > 0) {
            markAudited(error);
          }
          throw error;
        } finally {
          deferred = undefined;
        }
      },
      savepoint: async (tx, work) => {
        const mark = deferred?.length ?? 0;
        await tx.query('SAVEPOINT journal_entry');
        try {
          const result = await work();
          await tx.query('RELEASE SAVEPOINT journal_entry');
          return result;
        } catch (error) {
          await tx.query('ROLLBACK TO SAVEPOINT journal_entry');
          // Its writes are gone: a success it recorded must not stand in the audit log.
          const status = statusOf(error);
          if (deferred) {
            for (let i = mark; i < deferred.length; i += 1) {
              const record = deferred[i];
              if (record && record.outcome < 400) {
                deferred[i] = { ...record, outcome: status };
              }
            }
          }
          throw error;
        }
      },
      exists: (type, id, tx) => store.exists(tx, type, id),
      missing: (keys, tx) => store.missing(tx, keys),

      read: (type, id, tx) =>
        audited('read', type, async () => {
          assertSupportedType(type);
          assertValidId(id);
          return store.read(tx ?? store.db, type, id, visibility);
        }, (stored) => [about(stored)], 200, id),

      vread: (type, id, versionId) =>
        audited('vread', type, async () => {
          assertSupportedType(type);
          assertValidId(id);
          return store.vread(store.db, type, id, versionId, visibility);
        }, (stored) => [about(stored)], 200, id),

      create: (type, body, options = {}) =>
        audited('create', type, async () => {
          assertSupportedType(type);
          assertWritable(type);
          assertMayWriteDirectory(principal, type);
          const resource = validateResource(body, type);
          const required = checkDirectoryResource(type, resource);
          const { id: _ignored, ...withoutId } = resource;
          const run = async (tx: Queryable) => {
            await assertDirectoryTargets(store, tx, required);
            const result = options.ifNoneExist
              ? await store.createIfNoneExist(tx, type, withoutId, options.ifNoneExist, visibility, options.id)
              : { stored: await store.create(tx, type, withoutId, options.id), created: true };
            await recordIn(tx, 'create', result.stored, result.created ? 201 : 200);
            return result;
          };
          return options.tx ? run(options.tx) : store.db.transaction(run);
        }, () => []),

      update: (type, id, body, ifMatch, tx) =>
        audited('update', type, async () => {
          assertSupportedType(type);
          assertWritable(type);
          assertMayWriteDirectory(principal, type);
          assertValidId(id);
          const resource = validateResource(body, type, id);
          const required = checkDirectoryResource(type, resource);
          const run = async (inner: Queryable) => {
            await assertDirectoryTargets(store, inner, required);
            const result = await store.update(inner, type, id, resource, ifMatch, visibility);
            await recordIn(inner, 'update', result.stored, result.created ? 201 : 200);
            return result;
          };
          return tx ? run(tx) : store.db.transaction(run);
        }, () => [], 200, id),

      search: (type, query, tx) =>
        audited('search', type, async () => {
          assertSupportedType(type);
          return store.search(tx ?? store.db, parseSearch(type, query), visibility);
        }, (result) => {
          const patients = new Set(result.matches.map((m) => patientOf(m.resourceType, m.resource)).filter((p) => p !== undefined));
          return patients.size === 0 ? [{ resourceType: type }] : [...patients].map((patientId) => ({ resourceType: type, patientId }));
        }),

      history: (query) =>
        audited('history', query.resourceType, async () => {
          if (query.resourceType) {
            assertSupportedType(query.resourceType);
          }
          if (query.id) {
            assertValidId(query.id);
          }
          const page = await store.history(store.db, query, visibility);
          // An instance nobody may see, or that does not exist, has no history to show: 404, not an empty page.
          if (query.resourceType && query.id && page.entries.length === 0 && query.before === undefined && query.since === undefined) {
            await store.read(store.db, query.resourceType, query.id, visibility);
          }
          return page;
        }),

      importResources: (resources) =>
        audited('import', undefined, async () => {
          const valid = resources.map((resource, index) => {
            const type = typeof resource === 'object' && resource !== null ? (resource as { resourceType?: unknown }).resourceType : undefined;
            if (typeof type !== 'string') {
              throw new FhirError(400, 'required', `resources[${index}] has no resourceType.`);
            }
            assertSupportedType(type);
            assertMayWriteDirectory(principal, type);
            return validateResource(resource, type);
          });
          // Roles may name directory entries of the same import (the seed brings offices and staff together).
          const here = new Set(valid.map((resource) => `${String(resource.resourceType)}/${String(resource.id)}`));
          const required = valid.flatMap((resource) => checkDirectoryResource(String(resource.resourceType), resource));
          return store.db.transaction(async (tx) => {
            await assertDirectoryTargets(store, tx, required, here);
            return store.bulkCreate(tx, valid);
          });
        }),

      everything: (patientId, since) =>
        audited('everything', 'Patient', async () => {
          assertValidId(patientId);
          return store.everything(store.db, patientId, since, visibility);
        }, () => [{ resourceType: 'Patient', resourceId: patientId, patientId }], 200, patientId),
    };
  },
});
