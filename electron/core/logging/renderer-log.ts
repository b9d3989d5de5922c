import type { LogWriteInput } from '../../../shared/contract';
import type { Logger } from './logger';

export interface RendererLogOptions {
  log: Logger;
  /** Lines the renderer may write at once (default 20)... */
  burst?: number;
  /** ...and how many more it earns per minute (default 60). */
  perMinute?: number;
  now?: () => number;
}

/**
 * The renderer's lines into core's log: a token bucket keeps a renderer in a render loop from
 * filling the disk; dropped lines are counted and the count is written with the next line let in.
 * The input was checked against `logWriteInputSchema` by the dispatcher; the logger redacts again.
 */
export class RendererLog {
  private readonly log: Logger;
  private readonly burst: number;
  private readonly perMs: number;
  private readonly now: () => number;
  private tokens: number;
  private last: number;
  private dropped = 0;

  constructor({ log, burst = 20, perMinute = 60, now = () => Date.now() }: RendererLogOptions) {
    this.log = log.child({ source: 'renderer' });
    this.burst = burst;
    this.perMs = perMinute / 60_000;
    this.now = now;
    this.tokens = burst;
    this.last = now();
  }

  write({ level, message, context, error }: LogWriteInput): { accepted: boolean } {
    const at = this.now();
    this.tokens = Math.min(this.burst, this.tokens + (at - this.last) * this.perMs);
    this.last = at;
    if (this.tokens < 1) {
      this.dropped += 1;
      return { accepted: false };
    }
    this.tokens -= 1;
    if (this.dropped > 0) {
      this.log.warn({ dropped: this.dropped }, 'renderer log lines dropped (too many too fast)');
      this.dropped = 0;
    }
    const fields: Record<string, unknown> = {};
    if (context) {
      fields.context = context;
    }
    if (error) {
      fields.err = { name: error.name, stack: error.stack };
    }
    this.log[level](fields, `renderer: ${message}`);
    return { accepted: true };
  }
}
