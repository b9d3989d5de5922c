/**
 * The seeded random source of the synthetic population: sfc32 (Chris Doty-Humphrey's Small Fast
 * Counting generator). Why sfc32: 128 bits of state (mulberry32 has 32, too few when one seed drives
 * tens of millions of draws), passes PractRand, and uses 32-bit integer operations only, so it is
 * fast in JavaScript and gives the same numbers on every engine and platform.
 *
 * A generator is keyed by (seed, stream): each patient draws from its own stream, so patient n is
 * the same whatever came before it, and a change to how one patient is built does not reshuffle
 * every patient after it.
 */

/** murmur3's 32-bit finaliser: a bijection, so distinct inputs give distinct state words. */
const mix32 = (value: number): number => {
  let h = value | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

const TWO_TO_MINUS_32 = 1 / 4294967296;

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    // a and b alone already differ for every distinct (seed, stream) pair of 32-bit values.
    this.a = mix32(seed);
    this.b = mix32(stream ^ 0x9e3779b9);
    this.c = mix32(Math.imul(seed ^ 0x7f4a7c15, 0x2545f491) + stream);
    this.d = 1;
    // The first outputs of a fresh sfc32 state are poorly mixed; discard them.
    for (let i = 0; i < 15; i += 1) {
      this.uint32();
    }
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** uniform in [0, 1) */
  next(): number {
    return this.uint32() * TWO_TO_MINUS_32;
  }

  /** uniform in [min, max) */
  float(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** uniform integer in [min, max], both included */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: ReadonlyArray<T>): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) {
      throw new RangeError('pick from an empty list');
    }
    return item;
  }

  /** one of `items`, each as likely as its weight */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let remaining = this.next() * total;
    for (const [item, weight] of items) {
      remaining -= weight;
      if (remaining < 0) {
        return item;
      }
    }
    const last = items.at(-1);
    if (last === undefined) {
      throw new RangeError('weighted pick from an empty list');
    }
    return last[0];
  }

  /**
   * Approximately normal (Irwin-Hall: the sum of four uniforms, rescaled). Its tails stop at
   * about 3.5 standard deviations, which suits clinical values (no absurd outliers), and it needs
   * no Math.log or Math.cos, whose last bits may differ between engines.
   */
  normal(mean: number, sd: number): number {
    const sum = this.next() + this.next() + this.next() + this.next();
    return mean + (sum - 2) * Math.sqrt(3) * sd;
  }

  /** Poisson-distributed count (Knuth); fine for the small means used here. */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let count = 0;
    let product = this.next();
    while (product > limit) {
      count += 1;
      product *= this.next();
    }
    return count;
  }
}
