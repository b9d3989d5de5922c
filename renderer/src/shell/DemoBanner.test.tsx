import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ContractClient } from '../contract/contract-client';
import { createI18n } from '../i18n/i18n';
import { Root } from '../Root';
import { fakeTransport } from '../test/fake-bridge';
import { renderWithContract } from '../test/render-with-contract';
import { DemoBanner } from './DemoBanner';

const card = { label: 'TEST-KORT (demo)', isTest: true };
const active = (demoJournal?: boolean) => ({
  state: 'active',
  card,
  clinician: { name: 'Demo Lege (TEST)', hpr: '565509001' },
  journalUrl: 'http://127.0.0.1:8080',
  ...(demoJournal === undefined ? {} : { demoJournal }),
});
const sync = { online: true, syncing: false, pending: 0, oldestPendingAt: null, lastSuccessfulSyncAt: null, conflicts: 0, failed: 0, lastError: null, needsLogin: false };
const kari = {
  resourceType: 'Patient',
  id: 'p1',
  identifier: [{ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '01868740139' }],
  name: [{ family: 'Nordmann', given: ['Kari'] }],
  gender: 'female',
  birthDate: '1987-06-01',
};

const openChart = async (status: ReturnType<typeof active>) => {
  const { transport, push } = fakeTransport({
    'session.status': { ok: true, value: status },
    'sync.status': { ok: true, value: sync },
    'worklist.get': { ok: true, value: { list: 'today', rows: [{ patientId: 'p1', patient: kari, appointment: null }], refreshedAt: null } },
    'chart.open': { ok: true, value: { patientId: 'p1', fromCache: true, unsynced: [], access: { refused: null, blocked: false, grant: null }, resources: [kari] } },
    'session.activity': { ok: true, value: {} },
    'app.health': { ok: true, value: { problems: [] } },
  });
  render(<Root client={new ContractClient(transport)} i18n={createI18n('nb')} />);
  const list = await screen.findByRole('listbox', { name: 'Timeliste i dag' }, { timeout: 10_000 });
  fireEvent.click(await within(list).findByText('Nordmann, Kari'));
  await screen.findByRole('region', { name: 'Pasient' });
  return { push };
};

describe('DEMO banner', () => {
  it('says DEMO and what it means, in bokmål first and in English', () => {
    const { unmount } = renderWithContract(<DemoBanner demoJournal />, {});
    const banner = screen.getByRole('note', { name: 'Demojournal' });
    expect(banner.textContent).toContain('DEMO');
    expect(banner.textContent).toContain('syntetiske pasienter');
    unmount();
    renderWithContract(<DemoBanner demoJournal />, {}, 'en');
    expect(screen.getByRole('note', { name: 'Demo journal' }).textContent).toContain('synthetic patients');
  });

  it('is not there when the journal is not the demo journal', () => {
    renderWithContract(<DemoBanner demoJournal={false} />, {});
    expect(screen.queryByTestId('demo-banner')).toBeNull();
  });

  it('stands over the chart while the journal is the demo, and leaves with the patient data when the screen locks', async () => {
    const { push } = await openChart(active(true));
    expect(screen.getByTestId('demo-banner').textContent).toContain('DEMO');
    act(() => push('session.changed', { state: 'locked', card, journalUrl: 'http://127.0.0.1:8080', demoJournal: true }));
    await screen.findByLabelText('PIN-kode');
    expect(screen.queryByTestId('demo-banner')).toBeNull();
  });

  it('is not over a real journal’s chart', async () => {
    await openChart(active());
    expect(screen.queryByTestId('demo-banner')).toBeNull();
  });
});
