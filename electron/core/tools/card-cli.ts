import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { verifyDetachedSignature } from '../../../shared/signing';
import { CardError } from '../card/card-errors';
import { Pkcs11Module } from '../card/pkcs11-card';
import { signDetachedCms } from '../signing/cms-sign';

/**
 * `npm run card -- list | sign | verify` for support staff checking a clinic's card readers.
 *   list   [--module PATH]
 *   sign   --token LABEL --in FILE --out FILE.p7s [--pin PIN] [--module PATH]
 *   verify --in FILE --sig FILE.p7s --ca CA.pem [--crl CRL.pem]
 * The module defaults to AKSON_PKCS11_MODULE, else OpenSC. Without --pin the PIN is asked for
 * on the terminal, not echoed, and never written anywhere.
 */
const DEFAULT_MODULE = process.env.AKSON_PKCS11_MODULE ?? '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';

const der = (file: string): Uint8Array => {
  const text = readFileSync(file);
  const pem = text.toString('latin1');
  return pem.includes('-----BEGIN')
    ? Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'))
    : Uint8Array.from(text);
};

const askPin = (label: string): Promise<string> =>
  new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    process.stdout.write(`PIN-kode for ${label} / PIN for ${label}: `);
    // Security related: echo nothing of what is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
    rl.question('', (pin) => {
      rl.close();
      process.stdout.write('\n');
      resolve(pin.trim());
    });
  });

const main = async (): Promise<number> => {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      module: { type: 'string', default: DEFAULT_MODULE },
      token: { type: 'string' },
      in: { type: 'string' },
      out: { type: 'string' },
      sig: { type: 'string' },
      pin: { type: 'string' },
      ca: { type: 'string' },
      crl: { type: 'string', multiple: true },
    },
    strict: true,
  });
  switch (command) {
    case 'list': {
      const module = Pkcs11Module.load(values.module);
      try {
        const tokens = module.tokens();
        if (tokens.length === 0) {
          process.stdout.write('Ingen kort i leserne / No card in any reader.\n');
        }
        for (const token of tokens) {
          process.stdout.write(`${token.label}  (${token.manufacturer}, serial ${token.serialNumber}, PIN: ${token.pinState})\n`);
          const card = module.open(token.label);
          try {
            for (const certificate of card.certificates()) {
              process.stdout.write(`  ${certificate.kind.padEnd(14)} ${certificate.subject}\n`);
            }
          } finally {
            card.close();
          }
        }
      } finally {
        module.close();
      }
      return 0;
    }
    case 'sign': {
      if (!values.token || !values.in || !values.out) {
        throw new Error('sign needs --token, --in and --out');
      }
      const module = Pkcs11Module.load(values.module);
      try {
        const card = module.open(values.token);
        try {
          card.login(values.pin ?? (await askPin(values.token)));
          const certificate = card.certificates().find((c) => c.kind === 'signing');
          if (!certificate) {
            throw new Error('the card has no signing certificate');
          }
          const signature = signDetachedCms({
            content: readFileSync(values.in),
            signerCertificate: certificate.der,
            signDigestInfo: (digestInfo) => card.signDigestInfo('signing', digestInfo),
          });
          writeFileSync(values.out, signature);
          process.stdout.write(`Signed ${values.in} -> ${values.out} (${certificate.subject})\n`);
        } finally {
          card.close();
        }
      } finally {
        module.close();
      }
      return 0;
    }
    case 'verify': {
      if (!values.in || !values.sig || !values.ca) {
        throw new Error('verify needs --in, --sig and --ca');
      }
      const result = await verifyDetachedSignature({
        signature: der(values.sig),
        content: Uint8Array.from(readFileSync(values.in)),
        trustedRoots: [der(values.ca)],
        crls: (values.crl ?? []).map(der),
      });
      if (result.ok) {
        process.stdout.write(`Gyldig signatur / Valid signature: ${result.signer.subject}${result.signer.hpr ? ` (HPR ${result.signer.hpr})` : ''}, ${result.signingTime.toISOString()}\n`);
        return 0;
      }
      process.stdout.write(`Ugyldig signatur / Invalid signature: ${result.code}: ${result.message}\n`);
      return 1;
    }
    case undefined:
    default:
      process.stderr.write('usage: npm run card -- list | sign --token L --in F --out F.p7s [--pin P] | verify --in F --sig F.p7s --ca CA.pem [--crl CRL.pem]\n');
      return 2;
  }
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof CardError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
    process.stderr.write(`card: ${message}\n`);
    process.exit(1);
  },
);
