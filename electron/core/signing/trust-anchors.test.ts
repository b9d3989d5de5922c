import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pemBlocks, trustAnchorsFromEnv } from './trust-anchors';

const pem = (label: string, bytes: number[]) => `-----BEGIN ${label}-----\n${Buffer.from(bytes).toString('base64')}\n-----END ${label}-----\n`;

describe('trust anchors from the environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'akson-trust-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every certificate of every file named, and the CRLs', () => {
    const a = join(dir, 'a.pem');
    const b = join(dir, 'b.pem');
    const crl = join(dir, 'crl.pem');
    writeFileSync(a, pem('CERTIFICATE', [1, 2]) + pem('CERTIFICATE', [3]));
    writeFileSync(b, `junk before\n${pem('CERTIFICATE', [4])}`);
    writeFileSync(crl, pem('X509 CRL', [5]));
    const anchors = trustAnchorsFromEnv({ AKSON_TRUST_ANCHORS: [a, b].join(delimiter), AKSON_TRUST_CRLS: crl });
    expect(anchors?.roots.map((der) => [...der])).toEqual([[1, 2], [3], [4]]);
    expect(anchors?.crls.map((der) => [...der])).toEqual([[5]]);
  });

  it('is undefined without roots, and refuses a file with nothing of the kind in it', () => {
    expect(trustAnchorsFromEnv({})).toBeUndefined();
    expect(trustAnchorsFromEnv({ AKSON_TRUST_ANCHORS: '' })).toBeUndefined();
    const crl = join(dir, 'only-crl.pem');
    writeFileSync(crl, pem('X509 CRL', [5]));
    expect(() => trustAnchorsFromEnv({ AKSON_TRUST_ANCHORS: crl })).toThrow(/holds no PEM CERTIFICATE/);
    expect(() => trustAnchorsFromEnv({ AKSON_TRUST_ANCHORS: join(dir, 'missing.pem') })).toThrow();
    expect(pemBlocks(pem('PRIVATE KEY', [9]), 'CERTIFICATE')).toEqual([]);
  });
});
