import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import forge from 'node-forge';
import type * as Pkcs11js from 'pkcs11js';
import type { HospitalSigningKey, TestClinician, TestPki } from '../../shared/test-support/test-pki.test-context';
import { HOSPITAL_NAME, HOSPITAL_PHYSICIANS, physicianName } from '../../server/seed/hospital';

/**
 * A test PKI for smart-card work, on real PKCS#11 tokens: a root CA, and per clinician a SoftHSM2
 * token with two RSA-2048 key pairs generated ON the token (authentication, non-repudiation), each
 * with a certificate from the CA (subject with name and a person serial number mapped to an HPR
 * number; the key usages a Buypass/Commfides card has), plus a CRL. Synthetic people only.
 */
/**
 * pkcs11js, loaded on first use: only the SoftHSM2 test cards need the native addon. The demo PKI
 * must not load it, since the embedded demo journal's worker bundle carries no node_modules.
 */
const pkcs11js = (): typeof Pkcs11js => createRequire(import.meta.url)('pkcs11js') as typeof Pkcs11js;

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

export type { HospitalSigningKey, TestClinician, TestPki } from '../../shared/test-support/test-pki.test-context';

const CLINICIANS = [
  { name: 'Kari Lege', hpr: '565501872' },
  { name: 'Ola Sykepleier', hpr: '565502013' },
  { name: 'Rita Revokert', hpr: '565503104', revoked: true },
];

const toForgeKey = (pem: string): forge.pki.rsa.PrivateKey => forge.pki.privateKeyFromPem(pem);

const certificate = (options: {
  serial: string;
  subject: forge.pki.CertificateField[];
  publicKey: forge.pki.PublicKey;
  issuer: forge.pki.CertificateField[];
  signer: forge.pki.rsa.PrivateKey;
  extensions: Record<string, unknown>[];
  notBefore?: Date;
  notAfter?: Date;
}): forge.pki.Certificate => {
  const cert = forge.pki.createCertificate();
  cert.serialNumber = options.serial;
  cert.publicKey = options.publicKey;
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 3 * 365 * 24 * 3600 * 1000);
  cert.setSubject(options.subject);
  cert.setIssuer(options.issuer);
  cert.setExtensions(options.extensions);
  cert.sign(options.signer, forge.md.sha256.create());
  return cert;
};

const tokenSlot = (pkcs11: Pkcs11js.PKCS11, label: string): Buffer => {
  for (const slot of pkcs11.C_GetSlotList(true)) {
    if (pkcs11.C_GetTokenInfo(slot).label.trim() === label) {
      return slot;
    }
  }
  throw new Error(`token ${label} not found after initialisation`);
};

/** Generates one RSA-2048 key pair on the token and returns its public key. */
const generateOnToken = (pkcs11: Pkcs11js.PKCS11, session: Buffer, id: Buffer, label: string): forge.pki.rsa.PublicKey => {
  const keys = pkcs11.C_GenerateKeyPair(
    session,
    { mechanism: pkcs11js().CKM_RSA_PKCS_KEY_PAIR_GEN },
    [
      { type: pkcs11js().CKA_TOKEN, value: true },
      { type: pkcs11js().CKA_VERIFY, value: true },
      { type: pkcs11js().CKA_MODULUS_BITS, value: 2048 },
      { type: pkcs11js().CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
      { type: pkcs11js().CKA_ID, value: id },
      { type: pkcs11js().CKA_LABEL, value: label },
    ],
    [
      { type: pkcs11js().CKA_TOKEN, value: true },
      { type: pkcs11js().CKA_PRIVATE, value: true },
      { type: pkcs11js().CKA_SENSITIVE, value: true },
      { type: pkcs11js().CKA_EXTRACTABLE, value: false },
      { type: pkcs11js().CKA_SIGN, value: true },
      { type: pkcs11js().CKA_ID, value: id },
      { type: pkcs11js().CKA_LABEL, value: label },
    ],
  );
  const [modulus, exponent] = pkcs11.C_GetAttributeValue(session, keys.publicKey, [
    { type: pkcs11js().CKA_MODULUS },
    { type: pkcs11js().CKA_PUBLIC_EXPONENT },
  ]);
  const hex = (value: unknown): string => (value as Buffer).toString('hex');
  return forge.pki.setRsaPublicKey(new forge.jsbn.BigInteger(hex(modulus?.value), 16), new forge.jsbn.BigInteger(hex(exponent?.value), 16));
};

const storeCertificate = (pkcs11: Pkcs11js.PKCS11, session: Buffer, id: Buffer, label: string, cert: forge.pki.Certificate): void => {
  const toBuffer = (asn1: forge.asn1.Asn1): Buffer => Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
  const der = toBuffer(forge.pki.certificateToAsn1(cert));
  pkcs11.C_CreateObject(session, [
    { type: pkcs11js().CKA_SUBJECT, value: toBuffer(forge.pki.distinguishedNameToAsn1(cert.subject)) },
    { type: pkcs11js().CKA_ISSUER, value: toBuffer(forge.pki.distinguishedNameToAsn1(cert.issuer)) },
    { type: pkcs11js().CKA_CLASS, value: pkcs11js().CKO_CERTIFICATE },
    { type: pkcs11js().CKA_CERTIFICATE_TYPE, value: pkcs11js().CKC_X_509 },
    { type: pkcs11js().CKA_TOKEN, value: true },
    { type: pkcs11js().CKA_ID, value: id },
    { type: pkcs11js().CKA_LABEL, value: label },
    { type: pkcs11js().CKA_VALUE, value: der },
  ]);
};

/** A self-signed root CA, written as <name>.pem and <name>-key.pem (the key for the CRL). */
const createRootCa = (dir: string, name: string, serial: string, subject: forge.pki.CertificateField[], notBefore?: Date) => {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = toForgeKey(keys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = certificate({
    serial,
    subject,
    issuer: subject,
    publicKey: forge.pki.setRsaPublicKey(key.n, key.e),
    signer: key,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ],
    notAfter: new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000),
    ...(notBefore === undefined ? {} : { notBefore }),
  });
  const certPem = forge.pki.certificateToPem(cert);
  const certFile = join(dir, `${name}.pem`);
  writeFileSync(certFile, certPem);
  writeFileSync(join(dir, `${name}-key.pem`), keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return { key, subject, cert, certPem, certFile };
};

export const createTestPki = (dir: string): TestPki => {
  mkdirSync(join(dir, 'tokens'), { recursive: true });
  const softhsmConf = join(dir, 'softhsm2.conf');
  writeFileSync(softhsmConf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env.SOFTHSM2_CONF = softhsmConf;

  const { key: caKey, subject: caSubject, cert: caCert, certPem: caCertPem, certFile: caCertFile } = createRootCa(dir, 'ca', '01', [
    { name: 'countryName', value: 'NO' },
    { name: 'organizationName', value: 'Akson Test CA (synthetic, not for production)' },
    { name: 'commonName', value: 'Akson Test Root CA' },
  ]);

  const pin = '123456';
  // Tokens first: SoftHSM reads its token folder when the module initialises.
  for (const person of CLINICIANS) {
    execFileSync('softhsm2-util', ['--init-token', '--free', '--label', `akson-${person.hpr}`, '--pin', pin, '--so-pin', '87654321'], {
      env: { ...process.env, SOFTHSM2_CONF: softhsmConf },
      stdio: 'ignore',
    });
  }
  const pkcs11 = new (pkcs11js().PKCS11)();
  pkcs11.load(SOFTHSM_MODULE);
  pkcs11.C_Initialize();
  const clinicians: TestClinician[] = [];
  const revokedSerials: string[] = [];
  try {
    CLINICIANS.forEach((person, index) => {
      const tokenLabel = `akson-${person.hpr}`;
      // SoftHSM moves an initialised token to a new slot: find it by label.
      const slot = tokenSlot(pkcs11, tokenLabel);
      const session = pkcs11.C_OpenSession(slot, pkcs11js().CKF_SERIAL_SESSION | pkcs11js().CKF_RW_SESSION);
      pkcs11.C_Login(session, pkcs11js().CKU_USER, pin);
      const subject = [
        { name: 'countryName', value: 'NO' },
        { name: 'commonName', value: person.name },
        // Person serial number (OID 2.5.4.5) carrying the HPR number, as the login maps it.
        { type: '2.5.4.5', value: `HPR-${person.hpr}` },
      ];
      const made: Record<'auth' | 'sign', string> = { auth: '', sign: '' };
      for (const [kind, id] of [['auth', Buffer.from([1])], ['sign', Buffer.from([2])]] as const) {
        const label = kind === 'auth' ? 'Autentisering' : 'Signering';
        const publicKey = generateOnToken(pkcs11, session, id, label);
        // Positive, even-length hex: what forge writes and OpenSSL's CA database accepts.
        const serial = `1${index}${kind === 'auth' ? 1 : 2}0${randomBytes(6).toString('hex')}`;
        const cert = certificate({
          serial,
          subject,
          issuer: caSubject,
          publicKey,
          signer: caKey,
          extensions: [
            { name: 'basicConstraints', cA: false },
            kind === 'auth'
              ? { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true }
              : { name: 'keyUsage', nonRepudiation: true, critical: true },
            ...(kind === 'auth' ? [{ name: 'extKeyUsage', clientAuth: true }] : []),
            { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
          ],
        });
        storeCertificate(pkcs11, session, id, label, cert);
        made[kind] = forge.pki.certificateToPem(cert);
        if (person.revoked) {
          revokedSerials.push(serial);
        }
      }
      pkcs11.C_Logout(session);
      pkcs11.C_CloseSession(session);
      clinicians.push({ ...person, revoked: Boolean(person.revoked), tokenLabel, pin, authCertPem: made.auth, signCertPem: made.sign });
    });
  } finally {
    pkcs11.C_Finalize();
  }

  const crlFile = join(dir, 'crl.pem');
  writeCrl(dir, revokedSerials, crlFile);

  const demo = createDemoPki(dir);
  return {
    dir,
    modulePath: SOFTHSM_MODULE,
    softhsmConf,
    caCertPem,
    caCertFile,
    crlPem: readFileSync(crlFile, 'utf8'),
    crlFile,
    clinicians,
    ...demo,
  };
};

export type DemoPki = Pick<
  TestPki,
  | 'demoCard'
  | 'demoCaCertPem'
  | 'demoCaCertFile'
  | 'demoCrlPem'
  | 'demoCrlFile'
  | 'hospitalCaCertPem'
  | 'hospitalCaCertFile'
  | 'hospitalCrlPem'
  | 'hospitalCrlFile'
  | 'hospitalSigners'
>;

/**
 * The demo's PKI only (no SoftHSM2 needed): the TEST card in a folder of PKCS#12 files and its
 * own CA, which a server trusts only in demo mode, so the decision rests on the trust anchor, not
 * only on what the certificate says of itself. Kept when it exists (the demo card keeps working
 * across starts); the CRL is written afresh each time, since a stale CRL fails login closed.
 */
export const createDemoPki = (dir: string, options: { allCards?: boolean } = {}): DemoPki & { demoCards: DemoCard[] } => {
  mkdirSync(dir, { recursive: true });
  const demoCaCertFile = join(dir, 'demo-ca.pem');
  const demoCardFolder = join(dir, `demo-card-${DEMO_PERSON.hpr}`);
  const demoCard = { file: demoCardFolder, pin: DEMO_PIN, hpr: DEMO_PERSON.hpr, name: DEMO_PERSON.name };
  if (!existsSync(demoCaCertFile) || !existsSync(join(demoCardFolder, 'signing.p12'))) {
    const { key, subject } = createRootCa(dir, 'demo-ca', '02', [
      { name: 'countryName', value: 'NO' },
      { name: 'organizationName', value: 'Akson Demo CA (TEST cards only)' },
      { name: 'commonName', value: 'Akson Demo Root CA (TEST)' },
    ]);
    writeDemoCard(dir, key, subject, DEMO_PERSON);
  }
  // The demo's other people (demo-journal only: each card is two RSA keys to make), issued by the
  // same demo CA, whose key stays in the demo folder.
  const demoCards: DemoCard[] = [{ ...DEMO_PERSON, file: demoCardFolder, pin: DEMO_PIN }];
  if (options.allCards) {
    for (const person of DEMO_PEOPLE) {
      const file = join(dir, `demo-card-${person.hpr}`);
      if (!existsSync(join(file, 'signing.p12'))) {
        const caKey = toForgeKey(readFileSync(join(dir, 'demo-ca-key.pem'), 'utf8'));
        const caSubject = forge.pki.certificateFromPem(readFileSync(demoCaCertFile, 'utf8')).subject.attributes;
        writeDemoCard(dir, caKey, caSubject, person);
      }
      demoCards.push({ ...person, file, pin: DEMO_PIN });
    }
  }
  const demoCrlFile = join(dir, 'demo-crl.pem');
  writeCrl(dir, [], demoCrlFile, 'demo-ca');
  return {
    demoCard,
    demoCards,
    demoCaCertPem: readFileSync(demoCaCertFile, 'utf8'),
    demoCaCertFile,
    demoCrlPem: readFileSync(demoCrlFile, 'utf8'),
    demoCrlFile,
    ...createHospitalPki(dir),
  };
};

/**
 * How far back the hospital's certificates are valid: a letter is signed at its own (historical)
 * time, which must lie in the signer's validity, and the seeded history reaches 15 years back. A
 * real hospital would have had a chain of shorter-lived certificates over those years; one
 * backdated certificate per physician keeps the synthetic PKI small.
 */
const HOSPITAL_VALID_FROM_YEARS = 20;

/**
 * The hospital test CA ("hospital-ca.pem", its own CRL "hospital-crl.pem") and a signing
 * certificate per hospital physician of the seed (server/seed/hospital.ts: the same names and
 * HPR numbers), nonRepudiation only, subject with the name and serialNumber=HPR-nnnnnnnnn like a
 * clinician's signing certificate. Software keys in PEM files (mode 600): no card is involved, the
 * seed signs with them. Kept when they exist, like the TEST card; the CRL is written afresh.
 */
const createHospitalPki = (dir: string): Pick<DemoPki, 'hospitalCaCertPem' | 'hospitalCaCertFile' | 'hospitalCrlPem' | 'hospitalCrlFile' | 'hospitalSigners'> => {
  const hospitalCaCertFile = join(dir, 'hospital-ca.pem');
  const signers = HOSPITAL_PHYSICIANS.map((physician) => ({
    name: physicianName(physician),
    hpr: physician.hpr,
    certFile: join(dir, `hospital-signer-${physician.hpr}.pem`),
    keyFile: join(dir, `hospital-signer-${physician.hpr}-key.pem`),
  }));
  if (!existsSync(hospitalCaCertFile) || signers.some((signer) => !existsSync(signer.certFile) || !existsSync(signer.keyFile))) {
    const notBefore = new Date(Date.now() - HOSPITAL_VALID_FROM_YEARS * 365.25 * 24 * 3600 * 1000);
    const { key: caKey, subject: caSubject, cert: caCert } = createRootCa(
      dir,
      'hospital-ca',
      '03',
      [
        { name: 'countryName', value: 'NO' },
        { name: 'organizationName', value: `${HOSPITAL_NAME} Test CA (synthetic, not for production)` },
        { name: 'commonName', value: 'Akson Test Hospital Root CA' },
      ],
      notBefore,
    );
    signers.forEach((signer, index) => {
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const key = toForgeKey(pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
      const cert = certificate({
        serial: `1e${index}0${randomBytes(6).toString('hex')}`,
        subject: [
          { name: 'countryName', value: 'NO' },
          { name: 'commonName', value: signer.name },
          { type: '2.5.4.5', value: `HPR-${signer.hpr}` },
        ],
        issuer: caSubject,
        publicKey: forge.pki.setRsaPublicKey(key.n, key.e),
        signer: caKey,
        extensions: [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', nonRepudiation: true, critical: true },
          { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
        ],
        notBefore,
      });
      writeFileSync(signer.certFile, forge.pki.certificateToPem(cert));
      writeFileSync(signer.keyFile, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    });
  }
  const hospitalCrlFile = join(dir, 'hospital-crl.pem');
  writeCrl(dir, [], hospitalCrlFile, 'hospital-ca');
  const hospitalSigners: HospitalSigningKey[] = signers.map((signer) => ({ ...signer, certPem: readFileSync(signer.certFile, 'utf8') }));
  return {
    hospitalCaCertPem: readFileSync(hospitalCaCertFile, 'utf8'),
    hospitalCaCertFile,
    hospitalCrlPem: readFileSync(hospitalCrlFile, 'utf8'),
    hospitalCrlFile,
    hospitalSigners,
  };
};

/**
 * The software test card: the same two certificates a real card has, but with software keys in a
 * PKCS#12 file (password = PIN) and OU=TEST in the subject, so every screen and the server can
 * tell it is not a real card. For the embedded demo on machines without a reader.
 */
export type DemoRole = 'gp-with-list' | 'gp-other-office' | 'nurse' | 'secretary' | 'emergency-doctor' | 'privacy-officer';
export interface DemoPerson {
  name: string;
  hpr: string;
  demoRole: DemoRole;
}
export interface DemoCard extends DemoPerson {
  file: string;
  pin: string;
}
const DEMO_PERSON: DemoPerson = { name: 'Demo Lege', hpr: '565509001', demoRole: 'gp-with-list' };
/** The demo's other people, one TEST card each (same PIN), so each access rule can be watched at work. */
export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { name: 'Demo Lege Nordby', hpr: '565509002', demoRole: 'gp-other-office' },
  { name: 'Demo Sykepleier', hpr: '565509003', demoRole: 'nurse' },
  { name: 'Demo Sekretær', hpr: '565509004', demoRole: 'secretary' },
  { name: 'Demo Legevaktlege', hpr: '565509005', demoRole: 'emergency-doctor' },
  { name: 'Demo Personvernombud', hpr: '565509006', demoRole: 'privacy-officer' },
];
const DEMO_PIN = '123456';

const writeDemoCard = (dir: string, caKey: forge.pki.rsa.PrivateKey, caSubject: forge.pki.CertificateField[], person: DemoPerson): void => {
  const pin = DEMO_PIN;
  const subject = [
    { name: 'countryName', value: 'NO' },
    { name: 'organizationalUnitName', value: 'TEST' },
    { name: 'commonName', value: `${person.name} (TEST)` },
    { type: '2.5.4.5', value: `HPR-${person.hpr}` },
  ];
  const bags: forge.pki.Certificate[] = [];
  const keys: forge.pki.rsa.PrivateKey[] = [];
  for (const kind of ['auth', 'sign'] as const) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = toForgeKey(pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    keys.push(key);
    bags.push(
      certificate({
        serial: `1d${kind === 'auth' ? 1 : 2}0${randomBytes(6).toString('hex')}`,
        subject,
        issuer: caSubject,
        publicKey: forge.pki.setRsaPublicKey(key.n, key.e),
        signer: caKey,
        extensions: [
          { name: 'basicConstraints', cA: false },
          kind === 'auth'
            ? { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true }
            : { name: 'keyUsage', nonRepudiation: true, critical: true },
        ],
      }),
    );
  }
  // node-forge writes one key per PKCS#12, so the test card is a folder of two: the
  // authentication and the signing key, each with its certificate, both under the PIN.
  const file = join(dir, `demo-card-${person.hpr}`);
  mkdirSync(file, { recursive: true });
  bags.forEach((cert, index) => {
    const der = forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(keys[index] ?? null, [cert], pin, { algorithm: 'aes256' })).getBytes();
    writeFileSync(join(file, index === 0 ? 'authentication.p12' : 'signing.p12'), Buffer.from(der, 'binary'), { mode: 0o600 });
  });
};

/** node-forge can not write CRLs; OpenSSL's `ca -gencrl` with a minimal database can. */
const writeCrl = (dir: string, revokedSerials: string[], out: string, ca = 'ca'): void => {
  const db = join(dir, `${ca}-db`);
  mkdirSync(db, { recursive: true });
  const when = new Date(Date.now() - 3600 * 1000).toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  writeFileSync(
    join(db, 'index.txt'),
    revokedSerials.map((serial) => `R\t301231235959Z\t${when},keyCompromise\t${serial.toUpperCase()}\tunknown\t/CN=revoked\n`).join(''),
  );
  writeFileSync(join(db, 'crlnumber'), '01\n');
  writeFileSync(
    join(db, 'openssl.cnf'),
    `[ca]\ndefault_ca = test\n[test]\ndatabase = ${join(db, 'index.txt')}\ncrlnumber = ${join(db, 'crlnumber')}\ndefault_md = sha256\ndefault_crl_days = 30\n`,
  );
  execFileSync('openssl', ['ca', '-gencrl', '-config', join(db, 'openssl.cnf'), '-keyfile', join(dir, `${ca}-key.pem`), '-cert', join(dir, `${ca}.pem`), '-out', out], {
    stdio: 'ignore',
  });
};
