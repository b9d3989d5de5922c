import { describe, expect, it } from 'vitest';
import { ChallengeStore } from './challenge-store';

const store = (options: { maxSpent?: number } = {}) => {
  const clock = { now: Date.UTC(2026, 10, 28, 8) };
  return { clock, challenges: new ChallengeStore(() => new Date(clock.now), options) };
};

describe('login challenges (self-verifying, MAC-ed, 60 s)', () => {
  it('issues 20,000 challenges without holding any of them, and every one of them still verifies', () => {
    const { challenges } = store();
    const issued: string[] = [];
    // The old store refused the 10,001st open challenge with a 503 for everyone.
    for (let i = 0; i < 20_000; i += 1) {
      issued.push(challenges.issue().challenge);
    }
    expect(challenges.remembered).toBe(0);
    expect(new Set(issued).size).toBe(20_000);
    expect(issued.filter((challenge) => challenges.check(challenge) !== undefined)).toEqual([]);
    expect(challenges.remembered).toBe(0);
  });

  it('carries its expiry: 60 s from issue, refused after', () => {
    const { clock, challenges } = store();
    const { challenge, expiresAt } = challenges.issue();
    expect(expiresAt.getTime() - clock.now).toBe(60_000);
    expect(challenge.startsWith(`${expiresAt.getTime()}.`)).toBe(true);
    clock.now += 59_999;
    expect(challenges.check(challenge)).toBeUndefined();
    clock.now += 1;
    expect(challenges.check(challenge)).toBe('expired');
    expect(challenges.spend(challenge)).toBe('expired');
  });

  it('is spent once: a replay is refused until it expires, and then it is forgotten', () => {
    const { clock, challenges } = store();
    const { challenge } = challenges.issue();
    expect(challenges.spend(challenge)).toBeUndefined();
    expect(challenges.check(challenge)).toBe('spent');
    expect(challenges.spend(challenge)).toBe('spent');
    expect(challenges.remembered).toBe(1);
    clock.now += 61_000;
    challenges.spend(challenges.issue().challenge);
    expect(challenges.remembered).toBe(1);
    expect(challenges.spend(challenge)).toBe('expired');
  });

  it('refuses a forged, altered or respelled challenge, and one from another server (another key)', () => {
    const { clock, challenges } = store();
    const other = new ChallengeStore(() => new Date(clock.now));
    const { challenge } = challenges.issue();
    const [expiry = '', nonce = '', mac = ''] = challenge.split('.');
    const later = String(Number(expiry) + 3_600_000);
    const flip = (text: string, at: number): string => `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    // The last base64url character of the nonce and the MAC has unused low bits: same bytes, new string.
    const lowBits = (text: string): string => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const last = alphabet.indexOf(text.at(-1) ?? 'A');
      return `${text.slice(0, -1)}${alphabet[last ^ 1] ?? ''}`;
    };
    expect(Buffer.from(lowBits(mac), 'base64url').equals(Buffer.from(mac, 'base64url'))).toBe(true);
    for (const forged of [
      'made-up-challenge',
      '',
      `${later}.${nonce}.${mac}`,
      `0${expiry}.${nonce}.${mac}`,
      `${expiry}.${flip(nonce, 3)}.${mac}`,
      `${expiry}.${nonce}.${flip(mac, 5)}`,
      `${expiry}.${nonce}.${lowBits(mac)}`,
      `${challenge} `,
      other.issue().challenge,
    ]) {
      expect(challenges.check(forged), forged).toBe('unknown');
      expect(challenges.spend(forged), forged).toBe('unknown');
    }
    expect(challenges.remembered).toBe(0);
    expect(challenges.spend(challenge)).toBeUndefined();
  });

  it('caps the spent set and then refuses logins (fails closed) until spent ones expire, never forgetting a live one', () => {
    const { clock, challenges } = store({ maxSpent: 3 });
    const spent = [1, 2, 3].map(() => challenges.issue().challenge);
    for (const challenge of spent) {
      expect(challenges.spend(challenge)).toBeUndefined();
    }
    const waiting = challenges.issue().challenge;
    expect(challenges.spend(waiting)).toBe('full');
    for (const challenge of spent) {
      expect(challenges.spend(challenge)).toBe('spent');
    }
    clock.now += 30_000;
    const fresh = challenges.issue().challenge;
    clock.now += 30_000;
    // The first three have expired: room again, and the refused one was never spent, but it has expired too.
    expect(challenges.spend(waiting)).toBe('expired');
    expect(challenges.spend(fresh)).toBeUndefined();
    expect(challenges.remembered).toBe(1);
  });
});
