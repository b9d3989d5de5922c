import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { referenceTo, uuidFrom } from './ids';
import { Random } from './random';

describe('generated ids', () => {
  it('are RFC 9562 version 8 UUIDs, which zod and PostgreSQL accept', () => {
    const random = new Random(9, 1);
    for (let i = 0; i < 1000; i += 1) {
      const id = uuidFrom(random);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(z.uuid().safeParse(id).success).toBe(true);
    }
  });

  it('do not repeat over many draws', () => {
    const random = new Random(9, 1);
    const ids = new Set(Array.from({ length: 50_000 }, () => uuidFrom(random)));
    expect(ids.size).toBe(50_000);
  });

  it('make relative references', () => {
    expect(referenceTo('Patient', 'abc')).toEqual({ reference: 'Patient/abc' });
  });
});
