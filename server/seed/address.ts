import type { Address } from 'fhir/r4';
import type { Municipality } from './places';
import { STREETS } from './places';
import type { Random } from './random';
import { MUNICIPALITY_EXTENSION, MUNICIPALITY_SYSTEM } from './systems';

/** The municipality as HL7 Norway codes it: the name in district, the number in its extension. */
const municipalityOf = (municipality: Municipality): Pick<Address, 'district' | '_district'> => ({
  district: municipality.name,
  _district: {
    extension: [
      {
        url: MUNICIPALITY_EXTENSION,
        valueCoding: { system: MUNICIPALITY_SYSTEM, code: municipality.number, display: municipality.name },
      },
    ],
  },
});

/** The address of a municipality itself: no street, only the municipality. */
export const municipalityAddress = (municipality: Municipality): Address => ({
  type: 'physical',
  ...municipalityOf(municipality),
  country: 'NO',
});

/** A street address in `municipality`: a common street name, a house number, a real postal code. */
export const streetAddress = (random: Random, municipality: Municipality, use: 'home' | 'work'): Address => {
  const postal = random.pick(municipality.postalAreas);
  const letter = random.chance(0.1) ? random.pick(['A', 'B', 'C']) : '';
  return {
    use,
    type: 'physical',
    line: [`${random.pick(STREETS)} ${random.int(1, 120)}${letter}`],
    postalCode: postal.code,
    city: postal.city,
    ...municipalityOf(municipality),
    country: 'NO',
  };
};
