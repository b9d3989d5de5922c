import { YEAR_DAYS } from './calendar';
import type { Random } from './random';

/**
 * How a patient's lab values move over the years. Each course is asked in time order and keeps
 * the state that makes a series look like one person's: a level of its own, a slow drift, and
 * measurement noise on top.
 */

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

/**
 * HbA1c of a diabetic: high at diagnosis (60-80 mmol/mol), falling over about six months of
 * treatment towards a personal level near the target of 53, then creeping up about 1 mmol/mol a
 * year as diabetes progresses, until a value over 64 makes the GP intensify treatment (the level
 * drops again). The result wanders in the 48-75 range typical of a GP's diabetes list.
 */
export class Hba1cCourse {
  private level: number;
  private readonly atDiagnosis: number;
  private readonly drift: number;
  private lastDay: number | undefined;
  private lastValue: number | undefined;

  constructor(
    private readonly random: Random,
    private readonly diagnosisDay: number,
    type1: boolean,
  ) {
    this.level = type1 ? random.normal(58, 5) : random.normal(52, 4);
    this.atDiagnosis = random.float(60, 80);
    this.drift = random.float(0.3, 2.5);
  }

  valueAt(day: number): number {
    if (this.lastDay !== undefined) {
      this.level += (this.drift * (day - this.lastDay)) / YEAR_DAYS;
    }
    this.lastDay = day;
    const monthsTreated = (day - this.diagnosisDay) / 30.4;
    const untreated = clamp(1 - monthsTreated / 6, 0, 1);
    const value = Math.round(clamp(this.level + (this.atDiagnosis - this.level) * untreated + this.random.normal(0, 2.5), 38, 110));
    if (value > 64) {
      this.level -= this.random.float(6, 10);
    }
    this.lastValue = value;
    return value;
  }

  /** the value measured last, for "HbA1c 58 (forrige 54)" */
  get previous(): number | undefined {
    return this.lastValue;
  }
}

/**
 * eGFR: about 120 at 20, losing about 1 mL/min a year with age and faster with diabetes, high
 * blood pressure or heart failure; noise of a few units between measurements.
 */
export class EgfrCourse {
  private readonly personal: number;
  private readonly extraDecline: number;

  constructor(
    private readonly random: Random,
    private readonly birthDay: number,
    risk: { readonly diabetes: boolean; readonly hypertension: boolean; readonly heartFailure: boolean },
  ) {
    this.personal = random.normal(0, 6);
    this.extraDecline = (risk.diabetes ? 1 : 0) + (risk.hypertension ? 0.5 : 0) + (risk.heartFailure ? 1.5 : 0);
  }

  /**
   * `noise` is where the measurement noise comes from: the hospital's samples draw from the
   * hospital stream, so a stay leaves the GP's series exactly as it was without one.
   */
  valueAt(day: number, noise: Random = this.random): number {
    const age = (day - this.birthDay) / YEAR_DAYS;
    const years = Math.max(0, age - 20);
    const expected = 122 - 0.95 * years - this.extraDecline * Math.max(0, age - 50) * 0.5 + this.personal;
    return Math.round(clamp(expected + noise.normal(0, 3), 8, 130));
  }
}

/** INR on warfarin: mostly inside 2-3, now and then below or above after a change of diet or medicine. */
export const inrValue = (random: Random): number => {
  const roll = random.next();
  const value = roll < 0.07 ? random.normal(1.7, 0.12) : roll < 0.14 ? random.normal(3.5, 0.25) : random.normal(2.5, 0.22);
  return Math.round(clamp(value, 1, 6) * 10) / 10;
};

/**
 * Serum creatinine (µmol/L) that gives `egfr` by the CKD-EPI 2021 equation at this age and sex:
 * hospital results come in pairs, and the pair should agree.
 */
export const creatinineFor = (egfr: number, age: number, gender: 'female' | 'male'): number => {
  const female = gender === 'female';
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.241 : -0.302;
  const base = 142 * 0.9938 ** age * (female ? 1.012 : 1);
  // Above kappa (the usual case in the old and ill) the max() term applies, else the min() term.
  const ratio = egfr <= base ? (egfr / base) ** (1 / -1.2) : (egfr / base) ** (1 / alpha);
  return Math.round(ratio * kappa * 88.4);
};

/** CRP in [low, high] mg/L, strongly skewed to the low end: most infections seen are mild and viral. */
export const crpValue = (random: Random, [low, high]: readonly [number, number]): number => {
  const skewed = random.next() ** 4;
  return Math.max(1, Math.round(low + (high - low) * skewed));
};

/** A CRP taken for another reason than infection: mostly under 5. */
export const routineCrp = (random: Random): number => (random.chance(0.85) ? random.int(1, 4) : random.int(5, 12));

/**
 * Blood pressure: untreated hypertension about 158/98, treated about 138/84 with a personal
 * offset; others rise slowly with age. Diastolic stays at least 25 below systolic.
 */
export class BloodPressureCourse {
  private readonly offset: number;

  constructor(
    private readonly random: Random,
    private readonly birthDay: number,
    private readonly hypertensionFrom: number | undefined,
  ) {
    this.offset = random.normal(0, 4);
  }

  valueAt(day: number): { systolic: number; diastolic: number } {
    const age = (day - this.birthDay) / YEAR_DAYS;
    let systolic: number;
    let diastolic: number;
    if (this.hypertensionFrom !== undefined && day >= this.hypertensionFrom) {
      const untreated = day - this.hypertensionFrom < 60;
      systolic = this.random.normal(untreated ? 158 : 138, untreated ? 7 : 8) + this.offset;
      diastolic = this.random.normal(untreated ? 98 : 84, 5) + this.offset / 2;
    } else {
      const older = Math.max(0, age - 30);
      systolic = this.random.normal(116 + 0.45 * older, 8) + this.offset;
      diastolic = this.random.normal(74 + 0.12 * older, 6) + this.offset / 2;
    }
    const roundedSystolic = Math.round(clamp(systolic, 90, 210));
    return { systolic: roundedSystolic, diastolic: Math.round(clamp(diastolic, 50, roundedSystolic - 25)) };
  }
}
