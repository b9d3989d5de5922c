/** Small timing helpers for the benchmark scripts. */
export const percentile = (sortedMs: readonly number[], p: number): number => {
  if (sortedMs.length === 0) {
    return Number.NaN;
  }
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[index] ?? Number.NaN;
};

export interface Latency {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export const summarise = (samples: number[]): Latency => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
};

/** Runs `task(i)` for i < total with `concurrency` in flight; returns per-task milliseconds and wall time. */
export const runConcurrently = async (
  total: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<{ samples: number[]; wallMs: number }> => {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < total) {
      const index = next;
      next += 1;
      const t = performance.now();
      await task(index);
      samples.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { samples, wallMs: performance.now() - started };
};
