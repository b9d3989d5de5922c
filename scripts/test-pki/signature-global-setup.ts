import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
// Declares the shape of the provided 'signatureFixtures' for vitest's typed provide/inject.
import type {} from '../../shared/signing/signature-fixtures.test-context';
import { createTestPki } from './create-test-pki';
import { createSignatureFixtures } from './signature-fixtures';

/** The shared lane's signature verifier tests get real card-made signatures, one per failure. */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'akson-pki-'));
  project.provide('signatureFixtures', createSignatureFixtures(createTestPki(dir)));
  return () => rmSync(dir, { recursive: true, force: true });
}
