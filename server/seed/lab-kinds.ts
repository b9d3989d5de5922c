/**
 * The laboratory tests the generator produces, with LOINC codes and UCUM units. Reference ranges
 * are those Norwegian laboratories commonly print; INR's is the therapeutic range on warfarin,
 * the only patients tested here.
 */
export type LabKey = 'hba1c' | 'egfr' | 'inr' | 'crp' | 'haemoglobin' | 'creatinine';

export interface LabKind {
  readonly key: LabKey;
  readonly loinc: string;
  readonly loincDisplay: string;
  /** what a Norwegian clinician calls it */
  readonly text: string;
  readonly unit: string;
  readonly ucum: string;
  readonly decimals: number;
  readonly range: { readonly low?: number; readonly high?: number; readonly meaning: 'normal' | 'therapeutic' };
}

export const LAB_KINDS: Record<'hba1c' | 'egfr' | 'inr' | 'crp', LabKind> = {
  hba1c: {
    key: 'hba1c',
    loinc: '59261-8',
    loincDisplay: 'Hemoglobin A1c/Hemoglobin.total in Blood by IFCC protocol',
    text: 'HbA1c',
    unit: 'mmol/mol',
    ucum: 'mmol/mol',
    decimals: 0,
    range: { low: 20, high: 42, meaning: 'normal' },
  },
  egfr: {
    key: 'egfr',
    loinc: '62238-1',
    loincDisplay:
      'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI)',
    text: 'eGFR',
    unit: 'mL/min/1,73 m²',
    ucum: 'mL/min/{1.73_m2}',
    decimals: 0,
    range: { low: 60, meaning: 'normal' },
  },
  inr: {
    key: 'inr',
    loinc: '6301-6',
    loincDisplay: 'INR in Platelet poor plasma by Coagulation assay',
    text: 'INR',
    unit: 'INR',
    ucum: '{INR}',
    decimals: 1,
    range: { low: 2, high: 3, meaning: 'therapeutic' },
  },
  crp: {
    key: 'crp',
    loinc: '1988-5',
    loincDisplay: 'C reactive protein [Mass/volume] in Serum or Plasma',
    text: 'CRP',
    unit: 'mg/L',
    ucum: 'mg/L',
    decimals: 0,
    range: { high: 5, meaning: 'normal' },
  },
};

/**
 * Tests taken in hospital whose reference range depends on sex (what a Norwegian hospital
 * laboratory prints: Hb in g/dL, creatinine in µmol/L), so each comes in two.
 */
const haemoglobin = (low: number, high: number): LabKind => ({
  key: 'haemoglobin',
  loinc: '718-7',
  loincDisplay: 'Hemoglobin [Mass/volume] in Blood',
  text: 'Hemoglobin',
  unit: 'g/dL',
  ucum: 'g/dL',
  decimals: 1,
  range: { low, high, meaning: 'normal' },
});

const creatinine = (low: number, high: number): LabKind => ({
  key: 'creatinine',
  loinc: '14682-9',
  loincDisplay: 'Creatinine [Moles/volume] in Serum or Plasma',
  text: 'Kreatinin',
  unit: 'µmol/L',
  ucum: 'umol/L',
  decimals: 0,
  range: { low, high, meaning: 'normal' },
});

export const SEXED_LAB_KINDS: Record<'haemoglobin' | 'creatinine', Record<'female' | 'male', LabKind>> = {
  haemoglobin: { female: haemoglobin(11.7, 15.3), male: haemoglobin(13.4, 17) },
  creatinine: { female: creatinine(45, 90), male: creatinine(60, 105) },
};

export const BLOOD_PRESSURE = {
  panel: { loinc: '85354-9', display: 'Blood pressure panel with all children optional', text: 'Blodtrykk' },
  systolic: { loinc: '8480-6', display: 'Systolic blood pressure', text: 'Systolisk blodtrykk' },
  diastolic: { loinc: '8462-4', display: 'Diastolic blood pressure', text: 'Diastolisk blodtrykk' },
  unit: 'mmHg',
  ucum: 'mm[Hg]',
} as const;
