import { FhirError } from '../fhir/operation-outcome';

/** Why login refuses the directory's mapping of a card; the message names what the administrators must fix. */
export class DirectoryMappingError extends FhirError {
  constructor(
    readonly reason: 'ambiguous-practitioner' | 'inactive-practitioner' | 'dangling-role' | 'ambiguous-role',
    message: string,
  ) {
    super(403, 'forbidden', message);
  }
}
