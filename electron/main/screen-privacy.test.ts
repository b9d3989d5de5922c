import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));
const { applyContentProtection, lockOnOsEvents } = await import('./screen-privacy');

describe('screen privacy', () => {
  it('locks at once when the OS locks the screen or suspends, and stops listening when unbound', () => {
    const powerMonitor = new EventEmitter();
    const lockNow = vi.fn();
    const unbind = lockOnOsEvents(powerMonitor as never, lockNow);
    powerMonitor.emit('lock-screen');
    powerMonitor.emit('suspend');
    expect(lockNow.mock.calls).toEqual([['os-lock-screen'], ['os-suspend']]);
    unbind();
    powerMonitor.emit('suspend');
    expect(lockNow).toHaveBeenCalledTimes(2);
  });

  it('turns content protection on or off as the setting says', () => {
    const window = { setContentProtection: vi.fn() };
    applyContentProtection(window, true);
    applyContentProtection(window, false);
    expect(window.setContentProtection.mock.calls).toEqual([[true], [false]]);
  });
});
