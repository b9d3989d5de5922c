/**
 * The clinician's word for a FHIR field of the records the workstation writes, by its path with
 * list positions left out ("reaction[0].manifestation[0].text" -> "reaction.manifestation.text").
 * Unknown paths have no word: the dialog then shows the path alone.
 */
const FIELDS = {
  'code.text': 'substance',
  'code.coding.code': 'code',
  'code.coding.display': 'codeText',
  'reaction.manifestation.text': 'reaction',
  'reaction.severity': 'severity',
  'clinicalStatus.coding.code': 'status',
  'verificationStatus.coding.code': 'certainty',
  criticality: 'criticality',
  onsetDateTime: 'onset',
  abatementDateTime: 'abatement',
  recordedDate: 'recorded',
  'note.text': 'note',
  status: 'status',
  'dosage.text': 'dosage',
  'medicationCodeableConcept.text': 'medication',
} as const;

export type FieldLabelKey = (typeof FIELDS)[keyof typeof FIELDS];

export const fieldLabelKey = (path: string): FieldLabelKey | undefined => {
  const plain = path.replace(/\[\d+\]/g, '');
  return Object.hasOwn(FIELDS, plain) ? FIELDS[plain as keyof typeof FIELDS] : undefined;
};
