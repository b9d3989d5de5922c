import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
// Declares the shape of the provided 'testPki' for vitest's typed provide/inject.
import type {} from '../../shared/test-support/test-pki.test-context';
import { createTestPki } from './create-test-pki';

/** The core lane's card tests run against real SoftHSM2 tokens made once per run. */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'akson-pki-'));
  project.provide('testPki', createTestPki(dir));
  return () => rmSync(dir, { recursive: true, force: true });
}
