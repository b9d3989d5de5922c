import { createHash } from 'node:crypto';
import { join } from 'node:path';

const FOLDER_LABEL = 'akson-cache-folder-v1';

/**
 * The clinician's cache folder is named by a hash of their HPR number so that no identifier shows in
 * a path (file listings, backups, crash reports). HPR numbers are public register numbers, so this
 * hides them from a glance, not from someone who hashes every 9-digit number; it is not a secret.
 */
export const clinicianFolderName = (clinicianHpr: string): string =>
  createHash('sha256').update(`${FOLDER_LABEL}\0${clinicianHpr.trim()}`).digest('hex').slice(0, 32);

export const clinicianFolder = (root: string, clinicianHpr: string): string => join(root, clinicianFolderName(clinicianHpr));
