/**
 * The laboratory tests the generator produces, with LOINC codes and UCUM units. Reference ranges
 * are those Norwegian laboratories commonly print; INR's is the therapeutic range on warfarin,
 * the only patients tested here.
 */
export type LabKey = 'hba1c' | 'egfr' | 'inr' | 'crp';

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

export const LAB_KINDS: Record<LabKey, LabKind> = {
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

export const BLOOD_PRESSURE = {
  panel: { loinc: '85354-9', display: 'Blood pressure panel with all children optional', text: 'Blodtrykk' },
  systolic: { loinc: '8480-6', display: 'Systolic blood pressure', text: 'Systolisk blodtrykk' },
  diastolic: { loinc: '8462-4', display: 'Diastolic blood pressure', text: 'Diastolisk blodtrykk' },
  unit: 'mmHg',
  ucum: 'mm[Hg]',
} as const;
