import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));
const { boundsFor, displayKey, keepWindowBounds } = await import('./window-bounds');

const display = { id: 7, workArea: { x: 0, y: 0, width: 1920, height: 1040 } };

describe('window bounds per display', () => {
  it('restores the bounds saved for the same display', () => {
    const saved = { [displayKey(display)]: { x: 100, y: 50, width: 1366, height: 768 } };
    expect(boundsFor(saved, display)).toEqual({ x: 100, y: 50, width: 1366, height: 768 });
  });

  it('does not restore a window that would sit off the display', () => {
    const saved = { [displayKey(display)]: { x: 3000, y: 50, width: 1366, height: 768 } };
    expect(boundsFor(saved, display)).toBeUndefined();
    expect(boundsFor({}, display)).toBeUndefined();
  });

  it('saves the normal bounds and the maximised state for the display the window closes on', () => {
    const window = Object.assign(new EventEmitter(), {
      getNormalBounds: () => ({ x: 10, y: 20, width: 1200, height: 700 }),
      isMaximized: () => true,
    });
    const save = vi.fn();
    keepWindowBounds(window as never, { getDisplayMatching: () => display } as never, save);
    window.emit('close');
    expect(save).toHaveBeenCalledWith('7:1920x1040', { x: 10, y: 20, width: 1200, height: 700, maximized: true });
  });
});
