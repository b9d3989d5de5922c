import { everything, type Visibility } from '../store/visibility';
import type { Principal } from './principal';

export type Interaction =
  | 'read'
  | 'vread'
  | 'search'
  | 'create'
  | 'update'
  | 'history'
  | 'everything'
  | 'transaction'
  | 'batch'
  | 'import'
  | 'capabilities'
  /** Card login (/auth/token), written by the login itself; never authorised by the policy. */
  | 'login';

/**
 * Decides, for every interaction, whether the principal may do it (`authorize` throws a 403
 * FhirError) and what it may see (`visibility`, applied by the store wherever resources surface).
 */
export interface AccessPolicy {
  authorize(principal: Principal, interaction: Interaction, resourceType: string | undefined): void;
  visibility(principal: Principal): Visibility;
}

/**
 * Everyone may do and see everything. This is the policy until the access-control issue brings
 * work-related need, blocking and break-the-glass; it is named for what it is so no one mistakes
 * it for access control.
 */
export const openPolicy: AccessPolicy = {
  authorize: () => undefined,
  visibility: () => everything,
};
