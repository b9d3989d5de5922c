import type { WebFrameMain } from 'electron';
import { isAppUrl } from './app-origin';

/**
 * Security related: IPC is accepted only from the top frame of a page served from the app's own
 * origin. A sub-frame, or a page that somehow navigated elsewhere, gets nothing.
 * (VS Code's validatedIpcMain does the same.)
 */
export const isTrustedSender = (frame: WebFrameMain | null | undefined): boolean =>
  frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url);
