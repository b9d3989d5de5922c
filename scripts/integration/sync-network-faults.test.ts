import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeyStore, openCache, type FhirResource, type OfflineCache } from '../../electron/core/cache';
import { SoftwareTestCard } from '../../electron/core/card/software-test-card';
import { createLogger } from '../../electron/core/logging/logger';
import { loginWithCard } from '../../electron/core/session/card-login-client';
import { JournalClient } from '../../electron/core/sync/journal-client';
import { CHANGE_TAG_SYSTEM, CLIENT_ID_SYSTEM } from '../../electron/core/sync/local-changes';
import { SyncEngine, type SyncStatus } from '../../electron/core/sync/sync-engine';
import type { FaultKind, FaultProxy } from '../test-support/fault-proxy';
import { removeDir, startJournalBehindProxy, type startSyncJournal } from './sync-harness';

type Journal = Awaited<ReturnType<typeof startSyncJournal>>;

const PATIENTS = 20;
const MEDICATIONS = 5;
const EDITS_PER_MEDICATION = 8;
const CHANGES = 1_000;
const COMPOSITIONS = CHANGES - MEDICATIONS * EDITS_PER_MEDICATION;
/** Bounds the whole drain: the test fails rather than hangs when the outbox never empties. */
const DRAIN_DEADLINE_MS = 45_000;
/** The faults stay on until the outbox is down to this. */
const FAULTY_UNTIL_PENDING = 350;

/**
 * The network-fault proof: a workstation's sync engine pushes 1,000 changes to the real journal
 * (PGlite) through a TCP proxy that refuses connections, cuts answers short after the journal
 * stored the change, delays, answers 500 and 503 (Retry-After: 1), and then goes fully offline.
 * Once the network is back the outbox drains: every create is stored exactly once and every edit
 * is exactly one version, with no conflicts and nothing refused.
 */
describe('sync through a faulty network', () => {
  const dir = mkdtempSync(join(tmpdir(), 'akson-netfault-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'akson-netfault-ws-'));
  let journal: Journal;
  let proxy: FaultProxy;
  let cache: OfflineCache;
  let engine: SyncEngine;
  const patientIds: string[] = [];
  const medications: { id: string; patientId: string }[] = [];

  beforeAll(async () => {
    ({ journal, proxy } = await startJournalBehindProxy(dir));
    await journal.store.db.transaction(async (tx) => {
      for (let i = 0; i < PATIENTS; i += 1) {
        const patient = await journal.store.create(tx, 'Patient', {
          resourceType: 'Patient',
          identifier: [{ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: `0101800${String(1000 + i)}` }],
          name: [{ family: `Nettfeil${i}`, given: ['Åse'] }],
          birthDate: '1980-01-01',
        });
        patientIds.push(patient.id);
      }
      for (let i = 0; i < MEDICATIONS; i += 1) {
        const patientId = patientIds[i] ?? '';
        const medication = await journal.store.create(tx, 'MedicationStatement', {
          resourceType: 'MedicationStatement',
          status: 'active',
          subject: { reference: `Patient/${patientId}` },
          medicationCodeableConcept: { text: `Medisin ${i}` },
          dosage: [{ text: 'start' }],
        });
        medications.push({ id: medication.id, patientId });
      }
    });

    const card = new SoftwareTestCard(journal.pki.demoCard.file);
    card.login(journal.pki.demoCard.pin);
    const log = createLogger({ name: 'test', level: 'silent' });
    ({ cache } = openCache({ root: join(dataDir, 'caches'), clinicianHpr: journal.pki.demoCard.hpr, card, keyStore: new FileKeyStore(dataDir), log }));
    // Logged in through the proxy (its address is the journal's audience), before any fault is on.
    const { accessToken } = await loginWithCard({ apiBase: proxy.url, card });
    const client = new JournalClient({ fhirBase: `${proxy.url}/fhir`, token: () => accessToken, timeoutMs: 10_000 });
    // Short backoff: the proof is about correctness, not about waiting minutes for a retry.
    // Few changes per batch request: many requests, so every kind of fault meets some.
    engine = new SyncEngine({ cache, client, log, batchSize: 100, batchEntries: 4, backoff: { baseMs: 20, capMs: 400 } });
    for (const patientId of patientIds.slice(0, MEDICATIONS)) {
      expect(await engine.pullPatient(patientId)).toMatchObject({ ok: true });
    }
  }, 60_000);

  afterAll(async () => {
    await engine?.stop();
    cache?.close();
    await proxy?.close();
    await journal?.close();
    removeDir(dir);
    removeDir(dataDir);
  });

  it('drains 1,000 changes once the network is back, with no loss and no duplicates', async () => {
    const started = Date.now();
    proxy.setFaults({ refuse: 0.1, resetMidResponse: 0.15, delay: 0.1, delayMs: 5, error500: 0.1, unavailable503: 0.05 });
    engine.start();

    // The saves: Compositions spread over the patients, with each medication edited in a chain
    // (every edit made on the local version of the one before, still unsent) mixed in.
    const creates: string[] = [];
    const edits = new Map<string, string[]>(medications.map((m) => [m.id, []]));
    const editEvery = Math.floor(CHANGES / (MEDICATIONS * EDITS_PER_MEDICATION));
    let editsMade = 0;
    for (let n = 0; n < CHANGES; n += 1) {
      const medication = medications[editsMade % MEDICATIONS];
      if (n % editEvery === editEvery - 1 && editsMade < MEDICATIONS * EDITS_PER_MEDICATION && medication) {
        const local = cache.getResource('MedicationStatement', medication.id);
        expect(local).toBeDefined();
        const saved = engine.save({ ...(local as FhirResource), dosage: [{ text: `edit ${edits.get(medication.id)?.length ?? 0}` }] });
        edits.get(medication.id)?.push(saved.clientId);
        editsMade += 1;
      } else {
        const patientId = patientIds[n % PATIENTS] ?? '';
        const saved = engine.save({
          resourceType: 'Composition',
          status: 'final',
          type: { text: 'Notat' },
          subject: { reference: `Patient/${patientId}` },
          date: '2026-11-28',
          title: `Notat ${n}`,
          author: [{ display: 'Demo Lege' }],
        });
        creates.push(saved.clientId);
      }
      if (n % 50 === 49) {
        // Let the engine push (and meet the faults) while the clinician keeps saving.
        await sleep(25);
      }
    }
    expect(creates).toHaveLength(COMPOSITIONS);
    expect(editsMade).toBe(MEDICATIONS * EDITS_PER_MEDICATION);

    // Pushing through the faults until well over half of the changes went through them (bounded).
    const faultyUntil = Date.now() + 25_000;
    const faultKinds = ['refuse', 'resetMidResponse', 'delay', 'error500', 'unavailable503'] satisfies FaultKind[];
    const unmet = (): boolean => faultKinds.some((kind) => proxy.stats()[kind] === 0);
    while ((engine.status().pending > FAULTY_UNTIL_PENDING || (unmet() && engine.status().pending > 0)) && Date.now() < faultyUntil) {
      await sleep(100);
    }
    const duringFaults = engine.status();
    const faultyAt = Date.now();

    // Then the network is down altogether: nothing gets through, nothing is lost.
    proxy.setOnline(false);
    await sleep(1_500);
    const offline = engine.status();

    // The network comes back, clean.
    proxy.setOnline(true);
    proxy.setFaults({});
    const backAt = Date.now();
    let status: SyncStatus = await engine.drain();
    while (status.pending > 0 && Date.now() - backAt < DRAIN_DEADLINE_MS) {
      await sleep(50);
      status = await engine.drain();
    }
    const drainedAt = Date.now();
    await engine.stop();

    const stats = proxy.stats();
    process.stdout.write(
      `[network faults] ${CHANGES} changes: ${duringFaults.pending} pending after ${faultyAt - started} ms of faults, ${offline.pending} when offline; ` +
        `drained ${drainedAt - backAt} ms after the network came back, ${drainedAt - started} ms in all. Proxy: ${JSON.stringify(stats)}\n`,
    );

    expect(status).toMatchObject({ pending: 0, conflicts: 0, failed: 0, online: true });
    expect(offline.online).toBe(false);
    // Each fault actually happened, or this test would prove nothing.
    for (const kind of ['refuse', 'resetMidResponse', 'delay', 'error500', 'unavailable503', 'passThrough'] satisfies FaultKind[]) {
      expect(stats[kind], kind).toBeGreaterThan(0);
    }
    expect(stats.offline).toBeGreaterThan(0);

    // Every create exactly once on the server, by its client identifier, in one version only.
    const stored = await journal.database.query<{ client: string | null; versions: number }>(
      `SELECT r.content->'identifier'->>'value' AS client,
              (SELECT count(*)::int FROM resource_history h WHERE h.resource_type = r.resource_type AND h.id = r.id) AS versions
         FROM resource r WHERE r.resource_type = 'Composition' AND r.content->'identifier'->>'system' = $1`,
      [CLIENT_ID_SYSTEM],
    );
    const perClient = new Map<string, number>();
    for (const row of stored.rows) {
      perClient.set(row.client ?? '', (perClient.get(row.client ?? '') ?? 0) + 1);
    }
    expect(stored.rows).toHaveLength(COMPOSITIONS);
    expect([...perClient.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(perClient.keys())).toEqual(new Set(creates));
    expect(stored.rows.every((row) => row.versions === 1)).toBe(true);

    // Every edit's change tag in exactly one history version; the versions follow the edits in order.
    const history = await journal.database.query<{ id: string; version_id: string; tags: string[] }>(
      `SELECT id, version_id::text AS version_id,
              coalesce((SELECT array_agg(t->>'code') FROM jsonb_array_elements(content->'meta'->'tag') t WHERE t->>'system' = $1), '{}') AS tags
         FROM resource_history WHERE resource_type = 'MedicationStatement' ORDER BY id, version_id::int`,
      [CHANGE_TAG_SYSTEM],
    );
    for (const medication of medications) {
      const versions = history.rows.filter((row) => row.id === medication.id);
      const tagged = versions.flatMap((row) => row.tags);
      const mine = edits.get(medication.id) ?? [];
      expect(tagged).toEqual(mine);
      expect(versions).toHaveLength(1 + EDITS_PER_MEDICATION);
      const current = await journal.database.query<{ text: string }>(
        `SELECT content->'dosage'->0->>'text' AS text FROM resource WHERE resource_type = 'MedicationStatement' AND id = $1`,
        [medication.id],
      );
      expect(current.rows[0]?.text).toBe(`edit ${EDITS_PER_MEDICATION - 1}`);
    }

    // The workstation's cache shows the journal's versions: no note left under a local id.
    const charts = patientIds.flatMap((id) => cache.patientChart(id));
    expect(charts.filter((r) => r.id?.startsWith('local-'))).toEqual([]);
    expect(charts.filter((r) => r.resourceType === 'Composition')).toHaveLength(COMPOSITIONS);
    expect(drainedAt - started).toBeLessThan(85_000);
  }, 90_000);
});
