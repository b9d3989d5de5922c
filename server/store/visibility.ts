/**
 * A condition an access policy adds to every query the store makes, wherever resources surface:
 * reads, search results and totals, _include, history and $everything. Built as SQL over a table
 * alias with columns resource_type, id and content, so it applies to current and past versions.
 * `params` continue the statement's numbering from `firstParam`.
 */
export type Visibility = (alias: string, firstParam: number) => { sql: string; params: unknown[] };

/** Sees everything: the store's own bookkeeping, and the open policy until access rules arrive. */
export const everything: Visibility = () => ({ sql: 'TRUE', params: [] });
