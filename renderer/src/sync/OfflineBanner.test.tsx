import { screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithContract } from '../test/render-with-contract';
import { OfflineBanner } from './OfflineBanner';

const online = { online: true, syncing: false, pending: 0, oldestPendingAt: null, lastSuccessfulSyncAt: null, conflicts: 0, failed: 0, lastError: null, needsLogin: false };
const offline = { ...online, online: false, pending: 3, oldestPendingAt: new Date(2026, 11, 2, 9, 5).toISOString() };

describe('the offline banner', () => {
  beforeEach(() => {
    // Only the clock: "today" decides whether the date is shown with the time.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 11, 2, 14, 0));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is not there while the journal answers and the login was made with it', () => {
    renderWithContract(<OfflineBanner status={online} sessionOffline={false} />, {});
    expect(screen.queryByTestId('session-offline')).toBeNull();
  });

  it('says Frakoblet, what it means, and how many changes wait since when, when sync says offline', () => {
    renderWithContract(<OfflineBanner status={offline} sessionOffline={false} />, {});
    const banner = screen.getByTestId('session-offline');
    expect(banner.getAttribute('role')).toBe('status');
    expect(banner.textContent).toContain('Frakoblet');
    expect(banner.textContent).toContain('Endringer lagres på denne maskinen og sendes når nettet er tilbake.');
    expect(screen.getByTestId('offline-pending').textContent).toBe('3 endringer venter, den eldste lagret 09:05.');
  });

  it('shows the date with the time when the oldest change is from an earlier day', () => {
    renderWithContract(<OfflineBanner status={{ ...offline, pending: 1, oldestPendingAt: new Date(2026, 11, 1, 16, 40).toISOString() }} sessionOffline={false} />, {});
    expect(screen.getByTestId('offline-pending').textContent).toBe('1 endring venter, lagret 01.12.2026, 16:40.');
  });

  it('is there when the login was made without the journal, even before the sync status arrives', () => {
    renderWithContract(<OfflineBanner status={undefined} sessionOffline />, {});
    expect(screen.getByTestId('session-offline').textContent).toContain('uten kontakt med journalen');
    expect(screen.queryByTestId('offline-pending')).toBeNull();
  });

  it('says nothing waits when nothing does, and speaks English in the English locale', () => {
    renderWithContract(<OfflineBanner status={{ ...online, online: false }} sessionOffline={false} />, {}, 'en');
    expect(screen.getByTestId('session-offline').textContent).toContain('Offline');
    expect(screen.getByTestId('session-offline').textContent).toContain('Changes are saved on this machine and sent when the network is back.');
    expect(screen.getByTestId('offline-pending').textContent).toBe('No changes are waiting.');
  });

  it('still gives the number waiting when core does not know since when', () => {
    renderWithContract(<OfflineBanner status={{ ...offline, oldestPendingAt: null }} sessionOffline={false} />, {});
    expect(screen.getByTestId('offline-pending').textContent).toBe('3 endringer venter.');
  });
});
