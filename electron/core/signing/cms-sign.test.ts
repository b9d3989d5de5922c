// Declares the shape of the provided 'testPki'.
import type {} from '../../../shared/test-support/test-pki.test-context';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Pkcs11Module, type CardSession } from '../card/pkcs11-card';
import { signDetachedCms } from './cms-sign';

const pki = inject('testPki');
const clinician = pki.clinicians[0] ?? { tokenLabel: '', pin: '' };

/** `openssl cms -verify` against the test CA: the check any outside party can run on our signatures. */
const opensslVerify = (dir: string, signature: Buffer, content: Buffer): { ok: boolean; output: string } => {
  writeFileSync(join(dir, 'sig.p7s'), signature);
  writeFileSync(join(dir, 'content.json'), content);
  const run = spawnSync(
    'openssl',
    ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'sig.p7s'), '-content', join(dir, 'content.json'), '-CAfile', pki.caCertFile, '-out', '/dev/null'],
    { encoding: 'utf8' },
  );
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
};

describe('CMS signatures made on the card', () => {
  let module: Pkcs11Module;
  let card: CardSession;
  let dir: string;
  beforeAll(() => {
    process.env.SOFTHSM2_CONF = pki.softhsmConf;
    module = Pkcs11Module.load(pki.modulePath);
    card = module.open(clinician.tokenLabel);
    card.login(clinician.pin);
    dir = mkdtempSync(join(tmpdir(), 'akson-cms-'));
  });
  afterAll(() => {
    card.close();
    module.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sign = (content: Buffer): Buffer =>
    signDetachedCms({
      content,
      signerCertificate: card.certificates().find((c) => c.kind === 'signing')?.der ?? Buffer.alloc(0),
      signDigestInfo: (digestInfo) => card.signDigestInfo('signing', digestInfo),
    });

  it('makes a detached SHA-256 SignedData that OpenSSL verifies against the CA', () => {
    const content = Buffer.from('{"resourceType":"Composition","status":"final"}');
    const result = opensslVerify(dir, sign(content), content);
    expect(result.output).toContain('Verification successful');
    expect(result.ok).toBe(true);
  });

  it('is rejected by OpenSSL when the content was changed after signing', () => {
    const content = Buffer.from('{"resourceType":"Composition","status":"final"}');
    const signature = sign(content);
    const result = opensslVerify(dir, signature, Buffer.from('{"resourceType":"Composition","status":"amended"}'));
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/digest failure|content verify error/i);
  });

  it('carries the signer certificate, contentType, messageDigest and signingTime', () => {
    const content = Buffer.from('x');
    writeFileSync(join(dir, 'sig.der'), sign(content));
    const dump = spawnSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', join(dir, 'sig.der')], { encoding: 'utf8' }).stdout;
    expect(dump).toContain('contentType');
    expect(dump).toContain('messageDigest');
    expect(dump).toContain('signingTime');
    expect(dump).toContain('sha256');
    expect(dump).toMatch(/HPR-/);
  });
});
