import { commonParameters, searchParameters } from './search-parameters';

/**
 * The CapabilityStatement, generated from the same tables the server runs on, so it tells the
 * truth: the types, interactions and search parameters that work, and delete marked as absent.
 */
export const capabilityStatement = (baseUrl: string, version: string): Record<string, unknown> => ({
  resourceType: 'CapabilityStatement',
  status: 'active',
  date: new Date().toISOString().slice(0, 10),
  kind: 'instance',
  software: { name: 'Akson journal API', version },
  implementation: { description: 'Akson central journal (reference implementation)', url: baseUrl },
  fhirVersion: '4.0.1',
  format: ['application/fhir+json', 'json'],
  rest: [
    {
      mode: 'server',
      documentation:
        'Clinical data is never deleted: corrections are new versions (status entered-in-error or an amended Composition). Updates require If-Match. Unknown search parameters are refused (strict).',
      resource: Object.entries(searchParameters).map(([type, params]) => ({
        type,
        versioning: 'versioned-update',
        readHistory: true,
        updateCreate: type !== 'AuditEvent',
        conditionalCreate: type !== 'AuditEvent',
        conditionalUpdate: false,
        conditionalDelete: 'not-supported',
        interaction: (type === 'AuditEvent'
          ? ['read', 'vread', 'search-type', 'history-instance', 'history-type']
          : ['read', 'vread', 'update', 'create', 'search-type', 'history-instance', 'history-type']
        ).map((code) => ({ code })),
        searchInclude: params.filter((p) => p.type === 'reference').map((p) => `${type}:${p.name}`),
        searchParam: [...commonParameters, ...params].map((p) => ({ name: p.name, type: p.type, documentation: p.documentation })),
        ...(type === 'Patient' ? { operation: [{ name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' }] } : {}),
      })),
      interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'history-system' }],
    },
  ],
});
