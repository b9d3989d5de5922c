import { describe, expect, inject, it } from 'vitest';
import { canonicalJson } from './canonical-json';
import { verifyDetachedSignature, type VerifyInput } from './verify-signature';

const fixtures = inject('signatureFixtures');
const bytes = (values: number[]): Uint8Array => Uint8Array.from(values);

const input = (signature: number[], overrides: Partial<VerifyInput> = {}): VerifyInput => ({
  signature: bytes(signature),
  content: bytes(fixtures.content),
  trustedRoots: [bytes(fixtures.caCertificate)],
  crls: [bytes(fixtures.crl)],
  ...overrides,
});

describe('verifying a detached signature', () => {
  it('accepts a signature made on the card, and names the signer and the HPR number', async () => {
    const result = await verifyDetachedSignature(input(fixtures.valid));
    expect(result).toMatchObject({ ok: true, signer: { subject: 'Kari Lege', hpr: '565501872' } });
  });

  it.each([
    ['changed content', () => input(fixtures.valid, { content: bytes(fixtures.changedContent) }), 'DIGEST_MISMATCH'],
    ['a signature by another key', () => input(fixtures.otherKey), 'BAD_SIGNATURE'],
    ['an expired certificate', () => input(fixtures.expired), 'NOT_VALID_AT_SIGNING_TIME'],
    ['a revoked certificate', () => input(fixtures.revoked), 'REVOKED'],
    ['an authentication (not non-repudiation) certificate', () => input(fixtures.wrongKeyUsage), 'WRONG_KEY_USAGE'],
    ['a root that is not trusted', () => input(fixtures.valid, { trustedRoots: [bytes(fixtures.otherRoot)] }), 'UNTRUSTED_CHAIN'],
    ['bytes that are not CMS', () => input([0x30, 0x03, 0x02, 0x01, 0x07]), 'MALFORMED'],
    ['a certificate "issued" by a card holder rather than a CA', () => input(fixtures.forgedChain), 'UNTRUSTED_CHAIN'],
    ['a signing time in the future', () => input(fixtures.futureSigningTime), 'NOT_VALID_AT_SIGNING_TIME'],
    ['no revocation list for the issuer (fails closed)', () => input(fixtures.valid, { crls: [] }), 'REVOCATION_UNKNOWN'],
  ])('refuses %s with its own code', async (_name, make, code) => {
    const result = await verifyDetachedSignature(make());
    expect(result).toMatchObject({ ok: false, code });
  });

  it('signs the RFC 8785 canonical form, so key order and spacing do not matter', () => {
    expect(canonicalJson({ status: 'final', resourceType: 'Composition', n: 1.0 })).toBe('{"n":1,"resourceType":"Composition","status":"final"}');
  });
});
