import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhir, startTestJournal, type TestJournal } from '../test-support/test-databases';

const NATIONAL_ID = '15898010101';

describe('request log', () => {
  const lines: string[] = [];
  let journal: TestJournal;
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString('utf8'));
        callback();
      },
    });
    journal = await startTestJournal('pglite', { log: { level: 'info', stream } });
  });
  afterAll(async () => {
    await journal.close();
  });

  it('logs method, route and status, but no name, national id or patient id', async () => {
    const created = await fhir(`${journal.url}/Patient`, {
      method: 'POST',
      body: {
        resourceType: 'Patient',
        identifier: [{ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: NATIONAL_ID }],
        name: [{ family: 'Loggfri', given: ['Liv'] }],
      },
    });
    const id = created.body.id as string;
    await fhir(`${journal.url}/Patient?identifier=urn:oid:2.16.578.1.12.4.1.4.1|${NATIONAL_ID}&name=loggfri`);
    await fhir(`${journal.url}/Patient/${id}`);
    const log = lines.join('');
    expect(log).toContain('"route":"/fhir/:type"');
    expect(log).toContain('"statusCode":201');
    for (const secret of [NATIONAL_ID, 'Loggfri', 'loggfri', id]) {
      expect(log).not.toContain(secret);
    }
  });
});
