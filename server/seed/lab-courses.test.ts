import { describe, expect, it } from 'vitest';
import { YEAR_DAYS } from './calendar';
import { BloodPressureCourse, crpValue, EgfrCourse, Hba1cCourse, inrValue } from './lab-courses';
import { Random } from './random';

describe('lab courses', () => {
  it('brings HbA1c down from its level at diagnosis and keeps it in the range of a diabetes list', () => {
    for (let seed = 0; seed < 50; seed += 1) {
      const course = new Hba1cCourse(new Random(seed), 1000, false);
      const atDiagnosis = course.valueAt(1000);
      const values = Array.from({ length: 20 }, (_, i) => course.valueAt(1180 + i * 180));
      expect(atDiagnosis).toBeGreaterThanOrEqual(55);
      expect(values[0]).toBeLessThan(atDiagnosis);
      for (const value of values) {
        expect(value).toBeGreaterThanOrEqual(38);
        expect(value).toBeLessThanOrEqual(80);
      }
      expect(course.previous).toBe(values.at(-1));
    }
  });

  it('lowers eGFR with age, faster with diabetes and high blood pressure', () => {
    const birthDay = 0;
    const at = (age: number) => Math.round(age * YEAR_DAYS);
    const mean = (risk: boolean, age: number) => {
      let sum = 0;
      for (let seed = 0; seed < 200; seed += 1) {
        sum += new EgfrCourse(new Random(seed), birthDay, { diabetes: risk, hypertension: risk, heartFailure: false }).valueAt(at(age));
      }
      return sum / 200;
    };
    expect(mean(false, 40)).toBeGreaterThan(mean(false, 80) + 25);
    expect(mean(false, 80)).toBeGreaterThan(mean(true, 80) + 10);
  });

  it('keeps most INR values on warfarin in the therapeutic range 2-3', () => {
    const random = new Random(8);
    const values = Array.from({ length: 2000 }, () => inrValue(random));
    expect(values.filter((value) => value >= 2 && value <= 3).length / values.length).toBeGreaterThan(0.8);
    expect(values.every((value) => Number.isInteger(value * 10))).toBe(true);
  });

  it('gives CRP within its range, mostly at the low end', () => {
    const random = new Random(9);
    const values = Array.from({ length: 2000 }, () => crpValue(random, [1, 25]));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...values)).toBeLessThanOrEqual(25);
    expect(values.filter((value) => value < 5).length / values.length).toBeGreaterThan(0.5);
  });

  it('lowers blood pressure once hypertension is treated', () => {
    const mean = (day: number) => {
      let sum = 0;
      for (let seed = 0; seed < 200; seed += 1) {
        sum += new BloodPressureCourse(new Random(seed), 0, 20_000).valueAt(day).systolic;
      }
      return sum / 200;
    };
    expect(mean(20_010)).toBeGreaterThan(mean(21_000) + 10);
  });
});
