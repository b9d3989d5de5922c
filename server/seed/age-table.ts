/** A value that changes with age in steps: [[0, a], [18, b], [65, c]] is a below 18, b to 64, c from 65. */
export type AgeTable = ReadonlyArray<readonly [fromAge: number, value: number]>;

export const byAge = (table: AgeTable, age: number): number => {
  let value = 0;
  for (const [fromAge, stepValue] of table) {
    if (age < fromAge) {
      break;
    }
    value = stepValue;
  }
  return value;
};
