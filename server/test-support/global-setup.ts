import type { TestProject } from 'vitest/node';
import { startTestPostgres } from './test-postgres';

/**
 * The server lane runs every storage test on PGlite and on a real PostgreSQL, which this starts
 * once for the lane (a private cluster in a temp folder) and stops afterwards.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const postgres = await startTestPostgres();
  project.provide('postgresUrl', postgres.url);
  return () => postgres.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
