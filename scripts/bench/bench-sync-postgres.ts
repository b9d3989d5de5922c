import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCache, type FhirResource } from '../../electron/core/cache';
import { FileKeyStore } from '../../electron/core/cache';
import type { Logger } from '../../electron/core/logging/logger';
import { JournalClient } from '../../electron/core/sync/journal-client';
import { cacheRootFor } from '../../electron/core/sync/offline-workspace';
import { SyncEngine } from '../../electron/core/sync/sync-engine';
import { openPostgresDatabase } from '../../server/db/postgres-database';
import { findPostgresBin, startTestPostgres } from '../../server/test-support/test-postgres';
import { removeDir, startSyncJournal, startWorkstation } from '../integration/sync-harness';

const PATIENTS = 100;
const OBSERVATIONS_PER_PATIENT = 10;

/**
 * The delta push once more, with the journal on PostgreSQL 15 (a private cluster, fsync on)
 * instead of PGlite: the same engine and cache, 1,000 queued updates over 100 patients (10 each,
 * so FIFO per patient gives ten rounds), timed from start to outbox empty. Returns the report
 * line, or why it was skipped.
 */
export const postgresDeltaPush = async (log: Logger): Promise<string> => {
  if (!findPostgresBin()) {
    return '   push on PostgreSQL: skipped (PostgreSQL is not installed; npm test installs it with apt)';
  }
  const dir = mkdtempSync(join(tmpdir(), 'akson-bench-pg-'));
  const postgres = await startTestPostgres({ durable: true });
  const journal = await startSyncJournal(dir, { database: await openPostgresDatabase(postgres.url, { max: 10 }) });
  try {
    const { store } = journal;
    const patientIds: string[] = [];
    for (let p = 0; p < PATIENTS; p += 1) {
      await store.db.transaction(async (tx) => {
        const patient = await store.create(tx, 'Patient', { resourceType: 'Patient', name: [{ family: `Benk${p}`, given: ['Post'] }], birthDate: '1970-01-01' });
        patientIds.push(patient.id);
        for (let o = 0; o < OBSERVATIONS_PER_PATIENT; o += 1) {
          await store.create(tx, 'Observation', { resourceType: 'Observation', status: 'final', code: { text: 'BT' }, subject: { reference: `Patient/${patient.id}` }, valueQuantity: { value: 120 + o, unit: 'mmHg' } });
        }
      });
    }
    const ws = await startWorkstation(journal.url, journal.pki, join(dir, 'ws'));
    try {
      const card = ws.core.session.activeCard();
      if (!card) {
        throw new Error('no active card after login');
      }
      const cache = openCache({ root: cacheRootFor(ws.dataDir, journal.url), clinicianHpr: journal.pki.demoCard.hpr, card, keyStore: new FileKeyStore(ws.dataDir), log }).cache;
      try {
        const engine = new SyncEngine({ cache, client: new JournalClient({ fhirBase: `${journal.url}/fhir`, token: () => ws.core.session.token() }), log });
        for (const id of patientIds) {
          const pulled = await engine.pullPatient(id);
          if (!pulled.ok) {
            throw new Error(`pull failed: ${pulled.reason}`);
          }
        }
        const observations = patientIds.flatMap((id) => cache.patientChart(id).filter((r): r is FhirResource => r.resourceType === 'Observation'));
        for (const observation of observations) {
          engine.save({ ...observation, status: 'amended' });
        }
        const started = performance.now();
        engine.start();
        let status = await engine.drain();
        while (status.pending > 0 && status.failed === 0 && status.conflicts === 0) {
          status = await engine.drain();
        }
        const seconds = (performance.now() - started) / 1000;
        await engine.stop();
        if (status.pending + status.failed + status.conflicts > 0) {
          throw new Error(`push left ${JSON.stringify(status)}`);
        }
        return `   push on PostgreSQL 15 (fsync on): ${observations.length} queued updates over ${PATIENTS} patients, to outbox empty: ${seconds.toFixed(2)} s (${(observations.length / seconds).toFixed(0)}/s)`;
      } finally {
        cache.close();
      }
    } finally {
      await ws.close();
    }
  } finally {
    await journal.close();
    postgres.stop();
    removeDir(dir);
  }
};
