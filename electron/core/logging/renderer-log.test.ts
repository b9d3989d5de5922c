import { describe, expect, it } from 'vitest';
import { memoryLog } from '../test-support/memory-log';
import { RendererLog } from './renderer-log';

describe('renderer log', () => {
  it('lets a burst through, drops the rest, and reports how many were dropped once it lets lines in again', () => {
    const { log, lines } = memoryLog();
    let now = 0;
    const sink = new RendererLog({ log, burst: 3, perMinute: 60, now: () => now });
    const results = Array.from({ length: 5 }, () => sink.write({ level: 'info', message: 'clicked' }).accepted);
    expect(results).toEqual([true, true, true, false, false]);
    now += 1_000;
    expect(sink.write({ level: 'warn', message: 'chart render failed', context: { count: 2 } }).accepted).toBe(true);
    const parsed = lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed).toHaveLength(5);
    expect(parsed[3]).toMatchObject({ dropped: 2, source: 'renderer' });
    expect(parsed[4]).toMatchObject({ msg: 'renderer: chart render failed', context: { count: 2 }, source: 'renderer' });
  });

  it('keeps a renderer error as its type and frames only', () => {
    const { log, lines } = memoryLog();
    const sink = new RendererLog({ log });
    sink.write({
      level: 'error',
      message: 'render failed',
      error: { name: 'TypeError', stack: 'TypeError: Kari Nordmann 15828099915\n    at ChartView (app://akson/assets/index-abc.js:1:2345)' },
    });
    expect(lines()[0]).not.toContain('Kari');
    expect(lines()[0]).not.toContain('15828099915');
    expect(JSON.parse(lines()[0] ?? '{}')).toMatchObject({ err: { type: 'TypeError', frames: ['ChartView (app://akson/assets/index-abc.js:1:2345)'] } });
  });
});
