import type { BrowserWindow, Rectangle, Screen } from 'electron';

export interface SavedBounds extends Rectangle {
  maximized?: boolean;
}

interface DisplayLike {
  id: number;
  workArea: Rectangle;
}

/** Bounds are kept per display (its id and work-area size): a laptop on its dock and off it differ. */
export const displayKey = (display: DisplayLike): string => `${display.id}:${display.workArea.width}x${display.workArea.height}`;

const MIN_VISIBLE = 100;

/**
 * The bounds saved for this display, if the window would still be reachable there: a window
 * restored off-screen (a monitor gone, a resolution changed) is worse than a default one.
 */
export const boundsFor = (saved: Readonly<Record<string, SavedBounds>>, display: DisplayLike): SavedBounds | undefined => {
  const bounds = saved[displayKey(display)];
  if (!bounds) {
    return undefined;
  }
  const area = display.workArea;
  const overlapX = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
  const overlapY = Math.min(bounds.y + bounds.height, area.y + area.height) - Math.max(bounds.y, area.y);
  return overlapX >= MIN_VISIBLE && overlapY >= MIN_VISIBLE ? bounds : undefined;
};

/** Saves the window's (unmaximised) bounds for the display it is on when it closes. */
export const keepWindowBounds = (
  window: Pick<BrowserWindow, 'on' | 'getNormalBounds' | 'isMaximized'>,
  screen: Pick<Screen, 'getDisplayMatching'>,
  save: (key: string, bounds: SavedBounds) => void,
): void => {
  window.on('close', () => {
    const bounds = window.getNormalBounds();
    save(displayKey(screen.getDisplayMatching(bounds)), { ...bounds, maximized: window.isMaximized() });
  });
};
