/** Norwegian identifier systems the workstation and the journal both name (OIDs from the Directorate of e-health). */
/** HPR number: the Health Personnel Register's number for a clinician. */
export const HPR_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.4.4';
