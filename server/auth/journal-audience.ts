/**
 * The audience a card login names: the journal deployment's public origin (scheme://host[:port],
 * lower-case host, default port dropped, no path). Per deployment, so an assertion signed for one
 * journal can not be relayed to another. The workstation has its own copy of this function
 * (electron/core/session/card-login-client.ts); scripts/integration checks that the two agree.
 */
export const journalAudience = (url: string): string => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Not a journal URL: "${url}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`A journal URL is http(s), got "${url}"`);
  }
  // WHATWG URL already lower-cases the host, drops a default port and leaves out path and user info.
  return parsed.origin;
};
