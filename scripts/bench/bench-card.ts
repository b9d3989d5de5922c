import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pkcs11Module } from '../../electron/core/card/pkcs11-card';
import { signDetachedCms } from '../../electron/core/signing/cms-sign';
import { openPgliteDatabase } from '../../server/db/pglite-database';
import { journalAudience } from '../../server/auth/journal-audience';
import { HPR_SYSTEM } from '../../server/fhir/identifiers';
import { createJournalServer } from '../../server/journal-server';
import { ResourceStore } from '../../server/store/resource-store';
import { cardAssertion } from '../../server/test-support/card-assertion';
import { canonicalBytes } from '../../shared/signing';
import { createTestPki } from '../test-pki/create-test-pki';

/**
 * `npm run bench:card`: signing overhead beyond the token's own operation (goal < 10 ms) and the
 * card login round trip on loopback (goal < 100 ms), on a SoftHSM2 token.
 */
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const ms = (value: number): string => `${value.toFixed(2)} ms`;

const main = async (): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'akson-bench-card-'));
  try {
    const pki = createTestPki(dir);
    const kari = pki.clinicians[0];
    if (!kari) {
      throw new Error('no clinician');
    }
    process.env.SOFTHSM2_CONF = pki.softhsmConf;
    const module = Pkcs11Module.load(pki.modulePath);
    const card = module.open(kari.tokenLabel);
    card.login(kari.pin);
    const certificate = card.certificates().find((c) => c.kind === 'signing')?.der ?? Buffer.alloc(0);
    const note = { resourceType: 'Composition', status: 'final', title: 'Konsultasjon', section: Array.from({ length: 4 }, (_, i) => ({ title: `Seksjon ${i}`, text: { status: 'generated', div: `<div>${'Tekst '.repeat(200)}</div>` } })) };
    const totals: number[] = [];
    const overheads: number[] = [];
    for (let i = 0; i < 220; i += 1) {
      let tokenMs = 0;
      const started = performance.now();
      signDetachedCms({
        content: Buffer.from(canonicalBytes(note)),
        signerCertificate: certificate,
        signDigestInfo: (digestInfo) => {
          const t = performance.now();
          const signature = card.signDigestInfo('signing', digestInfo);
          tokenMs += performance.now() - t;
          return signature;
        },
      });
      const total = performance.now() - started;
      if (i >= 20) {
        totals.push(total);
        overheads.push(total - tokenMs);
      }
    }
    card.close();
    module.close();

    const database = await openPgliteDatabase();
    const { app, baseUrl } = await createJournalServer({
      database,
      version: '0.1.0',
      cardLogin: {
        trustedRoots: [Uint8Array.from(Buffer.from(pki.caCertPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'))],
        crls: [Uint8Array.from(Buffer.from(pki.crlPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'))],
        // 120 logins back to back from one address measure the login, not the per-address limit.
        rateLimit: { burst: 1_000, perSecond: 1_000, maxClients: 10 },
      },
    });
    await new ResourceStore(database).db.transaction((tx) =>
      new ResourceStore(database).create(tx, 'Practitioner', { resourceType: 'Practitioner', identifier: [{ system: HPR_SYSTEM, value: kari.hpr }] }),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = baseUrl().replace(/\/fhir$/, '');
    const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
      const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return (await response.json()) as Record<string, unknown>;
    };
    const logins: number[] = [];
    const serverSide: number[] = [];
    for (let i = 0; i < 120; i += 1) {
      const started = performance.now();
      const { challenge } = await post('/auth/challenge', {});
      const assertion = cardAssertion({ modulePath: pki.modulePath, tokenLabel: kari.tokenLabel, pin: kari.pin, keyId: 1, payload: { challenge, aud: journalAudience(base), iat: Math.floor(Date.now() / 1000) } });
      const t = performance.now();
      const token = await post('/auth/token', { assertion });
      const end = performance.now();
      if (typeof token.access_token !== 'string') {
        throw new Error(`login failed: ${JSON.stringify(token)}`);
      }
      if (i >= 20) {
        logins.push(end - started);
        serverSide.push(end - t);
      }
    }
    await app.close();
    process.stdout.write(
      [
        '# Smart card figures (SoftHSM2 token, RSA-2048)',
        `CMS signature of a journal note, total:        p50 ${ms(percentile(totals, 50))}  p95 ${ms(percentile(totals, 95))}`,
        `  overhead beyond the token's own C_Sign:        p50 ${ms(percentile(overheads, 50))}  p95 ${ms(percentile(overheads, 95))}  (goal < 10 ms)`,
        `card login round trip on loopback (challenge, card signature, token): p50 ${ms(percentile(logins, 50))}  p95 ${ms(percentile(logins, 95))}  (goal < 100 ms)`,
        `  of which the token request (server checks and issues):             p50 ${ms(percentile(serverSide, 50))}  p95 ${ms(percentile(serverSide, 95))}`,
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`card benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
