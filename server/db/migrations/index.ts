import type { Migration } from '../migration';
import { migration0001 } from './0001-resource-store';
import { migration0002 } from './0002-search-index';
import { migration0003 } from './0003-audit-log';
import { migration0004 } from './0004-history-by-type';
import { migration0005 } from './0005-unique-national-id';
import { migration0006 } from './0006-unique-hpr-number';
import { migration0007 } from './0007-login-audit';
import { migration0008 } from './0008-string-prefix-ids';
import { migration0009 } from './0009-access-control';

/** Every schema change, in order. Append; never edit one that has shipped. */
export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
];
