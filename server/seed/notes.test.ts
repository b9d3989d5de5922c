import { describe, expect, it } from 'vitest';
import type { AcuteKey } from './acute-problems';
import { ACUTE_PROBLEMS } from './acute-problems';
import { acuteNote } from './acute-notes';
import { followUpNote } from './chronic-notes';
import { CHRONIC_PROBLEMS } from './chronic-problems';
import { MEDICATIONS } from './medications';
import { Random } from './random';

const acute = (key: AcuteKey, setting: 'gp' | 'emergency' | 'e-consultation', penicillinAllergy = false) =>
  acuteNote(key, { random: new Random(1), age: 40, gender: 'female', setting, symptomDays: 3, crp: 12, penicillinAllergy });

describe('note templates', () => {
  it('write all four sections for every problem in every setting', () => {
    for (const { key } of ACUTE_PROBLEMS) {
      for (const setting of ['gp', 'emergency', 'e-consultation'] as const) {
        const note = acute(key, setting);
        for (const section of [note.anamnese, note.funn, note.vurdering, note.tiltak]) {
          expect(section.join(' ').trim().length).toBeGreaterThan(5);
        }
      }
    }
    for (const { key, medications } of CHRONIC_PROBLEMS) {
      const note = followUpNote([{ key, medications: medications(new Random(2)) }], { random: new Random(2), age: 70, findings: {} });
      expect(note.anamnese[0]?.length).toBeGreaterThan(10);
      expect(note.vurdering[0]?.length).toBeGreaterThan(5);
    }
  });

  it('send an emergency-centre note to the GP and do not claim an examination in an e-consultation', () => {
    expect(acute('otitis', 'emergency').tiltak).toContain('Notat sendes fastlege.');
    expect(acute('urinary-tract-infection', 'e-consultation').funn).toEqual(['Ikke klinisk undersøkt (e-konsultasjon).']);
  });

  it('choose a non-penicillin antibiotic for a patient with penicillin allergy', () => {
    for (const key of ['pneumonia', 'strep-throat', 'urinary-tract-infection'] as const) {
      expect(acute(key, 'gp').tiltak.join(' ')).toMatch(/penicillin|pivmecillinam/i);
      expect(acute(key, 'gp', true).tiltak.join(' ')).not.toMatch(/fenoksymetylpenicillin|pivmecillinam/i);
    }
  });

  it('follow the numbers: the HbA1c and blood pressure of the visit decide assessment and plan', () => {
    const note = (hba1c: number, systolic: number) =>
      followUpNote(
        [
          { key: 'diabetes-2', medications: [MEDICATIONS.metformin] },
          { key: 'hypertension', medications: [MEDICATIONS.amlodipine] },
        ],
        { random: new Random(3), age: 66, findings: { hba1c: { value: hba1c, previous: 58 }, bloodPressure: { systolic, diastolic: 80 } } },
      );
    const good = note(50, 128);
    expect(good.funn[0]).toBe('BT 128/80. HbA1c 50 mmol/mol (forrige 58).');
    expect(good.vurdering).toEqual([expect.stringContaining('God glykemisk regulering'), 'Velregulert hypertensjon.']);
    const poor = note(70, 152);
    expect(poor.vurdering).toEqual([
      'Dårlig regulert diabetes, stigende.',
      'Blodtrykket over behandlingsmålet (< 140/90).',
    ]);
  });
});
