// Declares the shape of the provided 'testPki'.
import type {} from '../../../shared/test-support/test-pki.test-context';
import { execFileSync } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { watchCardPresence } from './card-presence';
import { Pkcs11Module } from './pkcs11-card';

const pki = inject('testPki');

describe('card removal', () => {
  it('is noticed within 2 seconds', async () => {
    // Takes Ola's card away for good; no other core test uses it.
    process.env.SOFTHSM2_CONF = pki.softhsmConf;
    const module = Pkcs11Module.load(pki.modulePath);
    const label = pki.clinicians[1]?.tokenLabel ?? '';
    let removedAt = 0;
    const stop = watchCardPresence({ module, label, onRemoved: () => (removedAt = Date.now()) });
    try {
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(removedAt).toBe(0);
      const takenOut = Date.now();
      execFileSync('softhsm2-util', ['--delete-token', '--token', label], { env: process.env, stdio: 'ignore' });
      await expect.poll(() => removedAt, { timeout: 2_000, interval: 50 }).toBeGreaterThan(0);
      expect(removedAt - takenOut).toBeLessThan(2_000);
    } finally {
      stop();
      module.close();
    }
  });
});
