import { parseArgs } from 'node:util';
import { SoftwareTestCard } from '../card/software-test-card';
import { loginWithCard } from '../session/card-login-client';

/**
 * `npm run journal-read -- --journal URL --test-card DIR --pin PIN <FHIR path>`: what the journal
 * holds, read with a card's login (so the journal's access rules apply as to that clinician).
 * For support and for the e2e journeys, which check what reached the journal over FHIR, not only
 * what the screen says. Prints the FHIR JSON answer; exits 1 with the status on a refusal.
 * Only the software TEST card: a real card is read with the workstation itself.
 */
const main = async (): Promise<number> => {
  const { values, positionals } = parseArgs({
    options: { journal: { type: 'string' }, 'test-card': { type: 'string' }, pin: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [path] = positionals;
  if (!values.journal || !values['test-card'] || !values.pin || !path || positionals.length !== 1) {
    process.stderr.write('usage: journal-read --journal URL --test-card DIR --pin PIN <FHIR path, e.g. Composition?subject=Patient/p1>\n');
    return 2;
  }
  if (/^[a-z]+:/i.test(path) || path.startsWith('/') || path.includes('..')) {
    process.stderr.write('The FHIR path is relative to the journal\'s /fhir base (e.g. Patient/p1).\n');
    return 2;
  }
  const card = new SoftwareTestCard(values['test-card']);
  card.login(values.pin);
  const apiBase = new URL(values.journal).origin;
  const { accessToken } = await loginWithCard({ apiBase, card });
  const response = await fetch(`${apiBase}/fhir/${path}`, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/fhir+json' } });
  const body = await response.text();
  process.stdout.write(`${body}\n`);
  if (!response.ok) {
    process.stderr.write(`The journal answered ${response.status}.\n`);
    return 1;
  }
  return 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
