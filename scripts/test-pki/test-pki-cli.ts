import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestPki } from './create-test-pki';

/** `npm run test-pki -- --out ./test-pki`: the test CA, CRL and SoftHSM2 clinician cards (synthetic). */
const { values } = parseArgs({ options: { out: { type: 'string', default: './test-pki' } } });
const dir = resolve(values.out);
mkdirSync(dir, { recursive: true });
const pki = createTestPki(dir);
process.stdout.write(
  [
    `Test PKI in ${dir} (synthetic, not for production):`,
    `  CA ${pki.caCertFile}, CRL ${pki.crlFile}`,
    `  export SOFTHSM2_CONF=${pki.softhsmConf}  AKSON_PKCS11_MODULE=${pki.modulePath}`,
    ...pki.clinicians.map((c) => `  card ${c.tokenLabel}: ${c.name}, HPR ${c.hpr}, PIN ${c.pin}${c.revoked ? ' (revoked)' : ''}`),
    `  TEST card ${pki.demoCard.file}: ${pki.demoCard.name}, HPR ${pki.demoCard.hpr}, PIN ${pki.demoCard.pin}; its CA ${pki.demoCaCertFile}, CRL ${pki.demoCrlFile}`,
    `  demo server: npm run server -- --trust ${pki.caCertFile} --trust ${pki.demoCaCertFile} --crl ${pki.crlFile} --crl ${pki.demoCrlFile} --demo`,
    '',
  ].join('\n'),
);
