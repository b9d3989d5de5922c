import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../lint/layer-boundaries.mjs';
import { createTestPki, type TestPki } from './create-test-pki';

/** The support tool as staff run it: built, then `node dist/tools/card.mjs ...` against SoftHSM2 cards. */
describe('npm run card', () => {
  let dir = '';
  let pki: TestPki;
  const card = (...args: string[]) =>
    spawnSync(process.execPath, [join(repoRoot, 'dist', 'tools', 'card.mjs'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, SOFTHSM2_CONF: pki.softhsmConf, AKSON_PKCS11_MODULE: pki.modulePath },
    });
  beforeAll(() => {
    const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), '--tools-only'], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    dir = mkdtempSync(join(tmpdir(), 'akson-card-cli-'));
    pki = createTestPki(join(dir, 'pki'));
    writeFileSync(join(dir, 'note.json'), '{"resourceType":"Composition"}');
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the cards with their PIN state and both certificates', () => {
    const run = card('list');
    expect(run.status, run.stderr).toBe(0);
    for (const clinician of pki.clinicians) {
      expect(run.stdout).toContain(`${clinician.tokenLabel}  (SoftHSM project`);
    }
    expect(run.stdout).toContain('authentication');
    expect(run.stdout).toContain('HPR-565501872');
  });

  it('signs a file to a detached .p7s that it, and OpenSSL, verify; and refuses a changed file', () => {
    const kari = pki.clinicians[0];
    const signed = card('sign', '--token', kari?.tokenLabel ?? '', '--in', join(dir, 'note.json'), '--out', join(dir, 'note.p7s'), '--pin', kari?.pin ?? '');
    expect(signed.status, signed.stderr).toBe(0);
    const verified = card('verify', '--in', join(dir, 'note.json'), '--sig', join(dir, 'note.p7s'), '--ca', pki.caCertFile, '--crl', pki.crlFile);
    expect(verified.stdout).toContain('Valid signature: Kari Lege (HPR 565501872)');
    expect(verified.status).toBe(0);
    const openssl = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'note.p7s'), '-content', join(dir, 'note.json'), '-CAfile', pki.caCertFile, '-out', '/dev/null'], { encoding: 'utf8' });
    expect(openssl.status, openssl.stderr).toBe(0);
    writeFileSync(join(dir, 'changed.json'), '{"resourceType":"Composition","x":1}');
    const changed = card('verify', '--in', join(dir, 'changed.json'), '--sig', join(dir, 'note.p7s'), '--ca', pki.caCertFile);
    expect(changed.status).toBe(1);
    expect(changed.stdout).toContain('DIGEST_MISMATCH');
  });

  it('says a wrong PIN is wrong, without a stack trace', () => {
    const kari = pki.clinicians[0];
    const run = card('sign', '--token', kari?.tokenLabel ?? '', '--in', join(dir, 'note.json'), '--out', join(dir, 'x.p7s'), '--pin', '999999');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^card: PIN_INCORRECT/);
    expect(run.stderr).not.toContain('    at ');
  });
});
