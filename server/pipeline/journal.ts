import type { Queryable } from '../db/database';
import { FhirError } from '../fhir/operation-outcome';
import { assertSupportedType, assertValidId, validateResource } from '../fhir/validate-resource';
import type { HistoryEntry, HistoryQuery, ResourceStore, SearchResult, StoredResource } from '../store/resource-store';
import { parseSearch, type ParsedSearch } from '../store/search-query';
import { everything as everythingVisible } from '../store/visibility';
import { parseReference } from '../fhir/search-index';
import type { Json } from '../fhir/json-path';
import { assertRecordedBySelf, checksRecorder } from '../access/recorded-by';
import { assertMayWriteDirectory, checkDirectoryResource, danglingRole } from '../directory/directory-rules';
import type { AccessPolicy, Basis, Interaction } from './access-policy';
import { patientOf, type AuditRecord, type AuditWriter } from './audit-writer';
import type { Principal } from './principal';

export interface JournalDeps {
  store: ResourceStore;
  policy: AccessPolicy;
  audit: AuditWriter;
}

export type Query = ReadonlyArray<[string, string]>;

/** A search's answer, and whether a block (sperring) of the patients it was about hid something. */
export type JournalSearchResult = SearchResult & { blocked: boolean };
export interface EverythingResult {
  resources: StoredResource[];
  /** A block applies to this patient's record for the caller: the answer says so, never what. */
  blocked: boolean;
}

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
  search(type: string, query: Query, tx?: Queryable): Promise<JournalSearchResult>;
  history(query: HistoryQuery): Promise<{ entries: HistoryEntry[]; nextBefore: number | undefined }>;
  everything(patientId: string, since: Date | undefined): Promise<EverythingResult>;
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
export const markAudited = (error: unknown): void => {
  if (typeof error === 'object' && error !== null) {
    auditedErrors.add(error);
  }
};
/** The patient a refusal was about, so its audit record names them. */
const refusedPatient = new WeakMap<object, string>();
/** Whether the journal audited this failure itself; the HTTP layer audits the others (`recordRefusal`). */
export const auditedByJournal = (error: unknown): boolean => typeof error === 'object' && error !== null && auditedErrors.has(error);

/** Patients a search is restricted to by its criteria (`patient=`, `subject=Patient/…`), if any. */
const patientsOfCriteria = (search: ParsedSearch): string[] => {
  const ids = new Set<string>();
  for (const criterion of search.criteria) {
    const name = criterion.definition.name;
    if (name !== 'patient' && name !== 'subject') {
      continue;
    }
    for (const value of criterion.values) {
      // `subject=<id>` without a type could name a patient: it needs a basis like one.
      if (value.kind === 'reference' && (value.targetType === 'Patient' || value.targetType === undefined)) {
        ids.add(value.targetId);
      }
    }
  }
  return [...ids];
};

/** Grouped by patient, in order: the ids of what an answer returned, for one audit record per patient. */
const byPatient = (resources: readonly StoredResource[]): Map<string | undefined, string[]> => {
  const groups = new Map<string | undefined, string[]>();
  for (const resource of resources) {
    const patient = patientOf(resource.resourceType, resource.resource);
    const list = groups.get(patient) ?? [];
    list.push(`${resource.resourceType}/${resource.id}`);
    groups.set(patient, list);
  }
  return groups;
};

export const createJournal = ({ store, policy, audit }: JournalDeps): Journal => ({
  as(principal) {
    const visibility = policy.visibility(principal);
    /** For the records of patients whose basis is established: only theirs, minus blocks. */
    /**
     * Security related: `bases` says whether a block applies to the caller for each patient;
     * when none does for any of them, the block conditions are left out of the statement.
     */
    const scoped = (patients: readonly string[], bases?: ReadonlyMap<string, Basis>, compartment = false) =>
      policy.visibility(principal, { patients, compartment, unblocked: bases !== undefined && patients.every((patient) => bases.get(patient)?.blocked === false) });
    const redact = (stored: StoredResource): StoredResource => policy.redact(principal, stored);
    const redactAll = <T extends StoredResource>(list: readonly T[]): T[] => list.map((item) => ({ ...item, ...redact(item) }));

    /** Records of interactions inside an open transaction, written when it ends. */
    let deferred: AuditRecord[] | undefined;
    const write = async (...records: AuditRecord[]): Promise<void> => {
      if (deferred) {
        deferred.push(...records);
      } else if (records.length > 0) {
        await audit.record(records);
      }
    };

    /**
     * Security related: the basis for each of these patients' records, or the refusal (403,
     * naming the patient in its audit record) of the first without one.
     */
    const requireBases = async (db: Queryable, patients: readonly string[]): Promise<Map<string, Basis>> => {
      const found = await policy.bases(db, principal, patients);
      const missing = patients.find((patient) => !found.has(patient));
      if (missing !== undefined) {
        const error = policy.refusal(principal, missing);
        refusedPatient.set(error, missing);
        throw error;
      }
      return found;
    };

    /** The patient of a stored resource: its compartment, or for a Provenance its target's. */
    const patientOfStored = async (db: Queryable, type: string, resource: Json): Promise<string | undefined> => {
      const direct = patientOf(type, resource);
      if (direct !== undefined || type !== 'Provenance') {
        return direct;
      }
      const targets = Array.isArray(resource.target) ? (resource.target as unknown[]) : [];
      for (const target of targets) {
        const parsed = parseReference(target);
        if (parsed) {
          const patient = parsed.targetType === 'Patient' ? parsed.targetId : await store.patientOfResource(db, parsed.targetType, parsed.targetId);
          if (patient !== undefined) {
            return patient;
          }
        }
      }
      return undefined;
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
        const patient = typeof error === 'object' && error !== null ? refusedPatient.get(error) : undefined;
        await write({
          principal,
          interaction,
          outcome: statusOf(error),
          ...(resourceType ? { resourceType } : {}),
          ...(resourceId ? { resourceId, ...(resourceType === 'Patient' ? { patientId: resourceId } : {}) } : {}),
          ...(patient !== undefined ? { patientId: patient } : {}),
        });
        markAudited(error);
        throw error;
      }
    };

    /**
     * A successful write is audited inside its own transaction (one commit for both); inside a
     * bundle transaction the record waits for the end like the others.
     */
    const recordIn = async (tx: Queryable, interaction: Interaction, stored: StoredResource, outcome: number, basis: Basis | undefined): Promise<void> => {
      const record: AuditRecord = { principal, interaction, outcome, ...about(stored), ...(basis ? { basis } : {}) };
      if (deferred) {
        deferred.push(record);
      } else {
        await audit.record([record], tx);
      }
    };

    const about = (stored: StoredResource) => {
      const patientId = patientOf(stored.resourceType, stored.resource);
      return { resourceType: stored.resourceType, resourceId: stored.id, entities: [`${stored.resourceType}/${stored.id}`], ...(patientId ? { patientId } : {}) };
    };

    /** The basis for finding a patient by demographics, and for shared resources (none needed). */
    const sharedBasis = (type: string): Basis | undefined => (type === 'Patient' ? { kind: principal.kind === 'system' ? 'system' : 'patient-search' } : undefined);

    /**
     * Reads one resource (current or a version) under the rules: a resource of a patient's record
     * needs a basis for that patient (403 without), then must be visible (404 when blocked).
     */
    const readUnderRules = async (
      db: Queryable,
      type: string,
      id: string,
      load: (visibility: ReturnType<AccessPolicy['visibility']>) => Promise<StoredResource>,
    ): Promise<{ stored: StoredResource; basis: Basis | undefined }> => {
      if (!policy.needsBasis(type)) {
        return { stored: await load(policy.visibility(principal, { ofType: type })), basis: sharedBasis(type) };
      }
      const current = await store.read(db, type, id, everythingVisible);
      const patient = await patientOfStored(db, type, current.resource);
      if (patient === undefined) {
        return { stored: await load(visibility), basis: undefined };
      }
      const bases = await requireBases(db, [patient]);
      return { stored: await load(scoped([patient], bases)), basis: bases.get(patient) };
    };

    /** Bases for the patients of a write: the new version's, and the current version's (no moving records away). */
    const writeBases = async (db: Queryable, type: string, resource: Json, id?: string): Promise<{ patients: string[]; basis: Basis | undefined }> => {
      if (type === 'Patient' && id !== undefined && (await store.exists(db, 'Patient', id))) {
        // Security related: changing a patient (their GP, say) needs a basis for them, or anyone
        // could put themselves on a patient's list and so give themselves access.
        return { patients: [], basis: (await requireBases(db, [id])).get(id) };
      }
      if (!policy.needsBasis(type)) {
        return { patients: [], basis: type === 'Patient' ? { kind: principal.kind === 'system' ? 'system' : 'registration' } : undefined };
      }
      const patients = new Set<string>();
      const next = await patientOfStored(db, type, resource);
      if (next !== undefined) {
        patients.add(next);
      }
      if (id !== undefined) {
        const { rows } = await db.query<{ content: Json }>('SELECT content FROM resource WHERE resource_type = $1 AND id = $2', [type, id]);
        const before = rows[0] ? await patientOfStored(db, type, rows[0].content) : undefined;
        if (before !== undefined) {
          patients.add(before);
        }
      }
      const list = [...patients];
      const bases = await requireBases(db, list);
      return { patients: list, basis: list[0] === undefined ? undefined : bases.get(list[0]) };
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

      read: async (type, id, tx) =>
        (
          await audited('read', type, async () => {
            assertSupportedType(type);
            assertValidId(id);
            const db = tx ?? store.db;
            const found = await readUnderRules(db, type, id, (seen) => store.read(db, type, id, seen));
            return { ...found, stored: redact(found.stored) };
          }, ({ stored, basis }) => [{ ...about(stored), ...(basis ? { basis } : {}) }], 200, id)
        ).stored,

      vread: async (type, id, versionId) =>
        (
          await audited('vread', type, async () => {
            assertSupportedType(type);
            assertValidId(id);
            const found = await readUnderRules(store.db, type, id, (seen) => store.vread(store.db, type, id, versionId, seen));
            return { ...found, stored: redact(found.stored) };
          }, ({ stored, basis }) => [{ ...about(stored), ...(basis ? { basis } : {}) }], 200, id)
        ).stored,

      create: (type, body, options = {}) =>
        audited('create', type, async () => {
          assertSupportedType(type);
          assertWritable(type);
          assertMayWriteDirectory(principal, type);
          const resource = validateResource(body, type);
          assertRecordedBySelf(principal, type, resource);
          const required = checkDirectoryResource(type, resource);
          const { id: _ignored, ...withoutId } = resource;
          const run = async (tx: Queryable) => {
            await assertDirectoryTargets(store, tx, required);
            const { patients, basis } = await writeBases(tx, type, withoutId);
            // A conditional create's match is answered only when the caller may see it.
            const seen = patients.length > 0 ? scoped(patients) : visibility;
            const result = options.ifNoneExist
              ? await store.createIfNoneExist(tx, type, withoutId, options.ifNoneExist, seen, options.id)
              : { stored: await store.create(tx, type, withoutId, options.id), created: true };
            await recordIn(tx, 'create', result.stored, result.created ? 201 : 200, basis);
            return { ...result, stored: redact(result.stored) };
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
            const { patients, basis } = await writeBases(inner, type, resource, id);
            const seen = patients.length > 0 ? scoped(patients) : visibility;
            if (checksRecorder(principal, type, resource)) {
              // An update that creates (no such id yet) is checked as a create.
              const current = await store.read(inner, type, id, seen).then((found) => found.resource, () => undefined);
              assertRecordedBySelf(principal, type, resource, current);
            }
            const result = await store.update(inner, type, id, resource, ifMatch, seen);
            await recordIn(inner, 'update', result.stored, result.created ? 201 : 200, basis);
            return { ...result, stored: redact(result.stored) };
          };
          return tx ? run(tx) : store.db.transaction(run);
        }, () => [], 200, id),

      search: async (type, query, tx) => {
        let bases = new Map<string, Basis>();
        return audited('search', type, async () => {
          assertSupportedType(type);
          const db = tx ?? store.db;
          const search = parseSearch(type, query);
          const patients = policy.needsBasis(type) ? patientsOfCriteria(search) : [];
          let result: SearchResult;
          if (patients.length > 0) {
            bases = await requireBases(db, patients);
            result = await store.search(db, search, scoped(patients, bases));
          } else {
            result = await store.search(db, search, policy.needsBasis(type) ? visibility : policy.visibility(principal, { ofType: type }));
            const touched = [...new Set([...result.matches, ...result.includes].map((m) => patientOf(m.resourceType, m.resource)).filter((p) => p !== undefined))];
            bases = policy.needsBasis(type) ? await policy.bases(db, principal, touched) : new Map(touched.map((p) => [p, sharedBasis('Patient') ?? { kind: 'patient-search' }]));
          }
          const blocked =
            patients.length > 0 &&
            (patients.some((patient) => bases.get(patient)?.blocked === true) ||
              (patients.some((patient) => bases.get(patient)?.blocked === undefined) && (await policy.blocked(db, principal, patients)).size > 0));
          return { ...result, matches: redactAll(result.matches), includes: redactAll(result.includes), blocked };
        }, (result) => {
          const groups = byPatient([...result.matches, ...result.includes]);
          if (groups.size === 0) {
            return [{ resourceType: type, entities: [] }];
          }
          return [...groups.entries()].map(([patientId, entities]) => {
            const basis = patientId === undefined ? undefined : bases.get(patientId);
            return { resourceType: type, entities, ...(patientId !== undefined ? { patientId } : {}), ...(basis ? { basis } : {}) };
          });
        });
      },

      history: async (query) => {
        let bases = new Map<string, Basis>();
        return audited('history', query.resourceType, async () => {
          if (query.resourceType) {
            assertSupportedType(query.resourceType);
          }
          if (query.id) {
            assertValidId(query.id);
          }
          let seen = visibility;
          if (query.resourceType && query.id && policy.needsBasis(query.resourceType)) {
            // One resource's history: a basis for its patient, as for reading it (403 without).
            const { rows } = await store.db.query<{ content: Json }>('SELECT content FROM resource WHERE resource_type = $1 AND id = $2', [query.resourceType, query.id]);
            const patient = rows[0] ? await patientOfStored(store.db, query.resourceType, rows[0].content) : undefined;
            if (patient !== undefined) {
              bases = await requireBases(store.db, [patient]);
              seen = scoped([patient], bases);
            }
          }
          const page = await store.history(store.db, query, seen);
          // An instance nobody may see, or that does not exist, has no history to show: 404, not an empty page.
          if (query.resourceType && query.id && page.entries.length === 0 && query.before === undefined && query.since === undefined) {
            await store.read(store.db, query.resourceType, query.id, seen);
          }
          if (bases.size === 0) {
            const touched = [...new Set(page.entries.map((m) => patientOf(m.resourceType, m.resource)).filter((p) => p !== undefined))];
            bases = await policy.bases(store.db, principal, touched);
          }
          return { ...page, entries: redactAll(page.entries) };
        }, (page) => {
          const groups = byPatient(page.entries);
          if (groups.size === 0) {
            return [{ ...(query.resourceType ? { resourceType: query.resourceType } : {}), ...(query.id ? { resourceId: query.id } : {}), entities: [] }];
          }
          return [...groups.entries()].map(([patientId, entities]) => {
            const basis = patientId === undefined ? undefined : bases.get(patientId);
            return {
              ...(query.resourceType ? { resourceType: query.resourceType } : {}),
              ...(query.id ? { resourceId: query.id } : {}),
              entities: [...new Set(entities)],
              ...(patientId !== undefined ? { patientId } : {}),
              ...(basis ? { basis } : {}),
            };
          });
        }, 200, query.id);
      },

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

      everything: async (patientId, since) => {
        let basis: Basis | undefined;
        return audited('everything', 'Patient', async () => {
          assertValidId(patientId);
          try {
            basis = (await requireBases(store.db, [patientId])).get(patientId);
          } catch (error) {
            // An unknown patient is 404 (as before), not a refusal.
            await store.read(store.db, 'Patient', patientId, everythingVisible);
            throw error;
          }
          const resources = redactAll(await store.everything(store.db, patientId, since, scoped([patientId], basis ? new Map([[patientId, basis]]) : undefined, true)));
          const blocked = basis?.blocked ?? (await policy.blocked(store.db, principal, [patientId])).size > 0;
          return { resources, blocked };
        }, ({ resources }) => [
          { resourceType: 'Patient', resourceId: patientId, patientId, entities: resources.map((r) => `${r.resourceType}/${r.id}`), ...(basis ? { basis } : {}) },
        ], 200, patientId);
      },
    };
  },
});
