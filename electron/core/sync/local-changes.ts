import type { Bundle } from 'fhir/r4';
import type { FhirResource } from '../cache';

/** The identifier a workstation gives each resource it creates: If-None-Exist finds it on a retry. */
export const CLIENT_ID_SYSTEM = 'urn:akson:client-id';
/** The tag on each update naming the change, so a retried update can tell its own earlier success from someone else's edit. */
export const CHANGE_TAG_SYSTEM = 'urn:akson:change';

/** What the outbox keeps for the engine to send; the cache treats it as opaque JSON. */
export type OutboxRequest =
  | { kind: 'create'; resource: FhirResource; ifNoneExist: string }
  | {
      kind: 'update';
      resource: FhirResource;
      /** The version the user edited. */
      ifMatch: string;
      /** An earlier change to the same resource was still queued: send on top of the version that one produced. */
      chained: boolean;
      /**
       * The change tag the edited version carried: when it is this workstation's own earlier change
       * (sent meanwhile), a 412 naming that version is no conflict, just a newer version number.
       */
      basedOnChange?: string;
    }
  | { kind: 'transaction'; bundle: Bundle; probe: { resourceType: string; identifier: string } };

/** Composition.identifier is one Identifier in R4; elsewhere it is a list. */
const SINGLE_IDENTIFIER = new Set(['Composition', 'Bundle', 'QuestionnaireResponse']);

const withClientIdentifier = (resource: FhirResource, clientId: string): FhirResource => {
  const identifier = { system: CLIENT_ID_SYSTEM, value: clientId };
  if (SINGLE_IDENTIFIER.has(resource.resourceType)) {
    return { ...resource, identifier };
  }
  const existing = Array.isArray(resource['identifier']) ? (resource['identifier'] as unknown[]) : [];
  return { ...resource, identifier: [...existing.filter((i) => (i as { system?: unknown }).system !== CLIENT_ID_SYSTEM), identifier] };
};

const criteria = (clientId: string): string => `identifier=${encodeURIComponent(`${CLIENT_ID_SYSTEM}|${clientId}`)}`;

/** A new resource: the server assigns its id; the client identifier makes the POST safe to repeat. */
export const prepareCreate = (resource: FhirResource, clientId: string): { resource: FhirResource; request: OutboxRequest } => {
  const { id: _localId, meta: _meta, ...body } = resource;
  const sent = withClientIdentifier(body, clientId);
  // Shown under a local id until the journal assigns the real one (markSent swaps them).
  return { resource: { ...sent, id: `local-${clientId}` }, request: { kind: 'create', resource: sent, ifNoneExist: criteria(clientId) } };
};

/** A change to a resource the server has: If-Match on the version edited, tagged with this change. */
export const prepareUpdate = (resource: FhirResource, clientId: string, chained: boolean): { resource: FhirResource; request: OutboxRequest } => {
  const versionId = resource.meta?.versionId;
  if (!resource.id || versionId === undefined) {
    throw new Error('an update needs the id and versionId of the version that was edited');
  }
  const tags = Array.isArray(resource.meta?.['tag']) ? (resource.meta['tag'] as { system?: unknown; code?: unknown }[]) : [];
  const basedOn = tags.find((tag) => tag.system === CHANGE_TAG_SYSTEM)?.code;
  const meta = { ...resource.meta, tag: [...tags.filter((tag) => tag.system !== CHANGE_TAG_SYSTEM), { system: CHANGE_TAG_SYSTEM, code: clientId }] };
  const sent: FhirResource = { ...resource, meta };
  return {
    resource: sent,
    request: { kind: 'update', resource: sent, ifMatch: versionId, chained, ...(typeof basedOn === 'string' ? { basedOnChange: basedOn } : {}) },
  };
};

/**
 * A signed note and its signature (a Provenance pointing at it) in one atomic transaction: neither
 * can reach the journal without the other. The note gets its id here (the client id, a UUID),
 * because the signature covers the note's content with its id and names the version it signs
 * (`_history/1`): it is created with PUT on that id. Retried safely: before a retry the engine
 * looks for the note (atomic: if it is there, so is its signature).
 */
export const prepareSignedNote = (
  composition: FhirResource,
  clientId: string,
  sign: (note: FhirResource & { id: string }) => FhirResource,
): { resource: FhirResource; request: OutboxRequest } => {
  const { meta: _meta, ...body } = withClientIdentifier(composition, clientId);
  const note = { ...body, resourceType: composition.resourceType, id: clientId };
  const provenance = sign(note);
  const { id: _provenanceId, meta: _provenanceMeta, ...provenanceBody } = provenance;
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: `${composition.resourceType}/${clientId}`, resource: note, request: { method: 'PUT', url: `${composition.resourceType}/${clientId}` } },
      { resource: provenanceBody, request: { method: 'POST', url: 'Provenance' } },
    ],
  };
  return { resource: note, request: { kind: 'transaction', bundle, probe: { resourceType: composition.resourceType, identifier: `${CLIENT_ID_SYSTEM}|${clientId}` } } };
};

export const isOutboxRequest = (value: unknown): value is OutboxRequest => {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return kind === 'create' || kind === 'update' || kind === 'transaction';
};
