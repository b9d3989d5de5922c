import type { BrowserWindow, PowerMonitor } from 'electron';
import type { LockTrigger } from '../core';

/**
 * Security related: the OS locking the screen or going to sleep locks the session at once, so a
 * PC left in a consultation room never wakes up showing a chart. DO NOT CHANGE without review.
 */
export const lockOnOsEvents = (powerMonitor: Pick<PowerMonitor, 'on' | 'off'>, lockNow: (trigger: LockTrigger) => void): (() => void) => {
  const onLockScreen = (): void => lockNow('os-lock-screen');
  const onSuspend = (): void => lockNow('os-suspend');
  powerMonitor.on('lock-screen', onLockScreen);
  powerMonitor.on('suspend', onSuspend);
  return () => {
    powerMonitor.off('lock-screen', onLockScreen);
    powerMonitor.off('suspend', onSuspend);
  };
};

/** Keeps the window out of screen sharing and screenshots while the setting is on (the default). */
export const applyContentProtection = (window: Pick<BrowserWindow, 'setContentProtection'>, enabled: boolean): void => {
  window.setContentProtection(enabled);
};
