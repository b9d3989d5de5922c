/**
 * Security related: a journal without card login answers every caller as `anonymous`, so it must
 * be reachable from this machine only, and only under a loopback name. Binding to loopback keeps
 * the network out; checking the Host header keeps out a web page in this machine's browser that
 * rebinds its own DNS name to 127.0.0.1 (DNS rebinding): its requests carry its name, not ours.
 */

/** A listening or connection address on loopback (IPv4 127/8, IPv6 ::1, IPv4-mapped 127/8). */
export const isLoopbackAddress = (address: string | undefined): boolean =>
  address !== undefined && (address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) || /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(address));

/** A `--host` value that binds loopback only. */
export const isLoopbackBind = (host: string): boolean => {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || isLoopbackAddress(name);
};

/** How many Host headers a request carried (Node's parser keeps only the first). */
export const hostHeaderCount = (rawHeaders: readonly string[]): number => {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === 'host') {
      count += 1;
    }
  }
  return count;
};

/**
 * Why a request may not be answered by a loopback-only server, or undefined when it may: it
 * arrived on loopback, with exactly one Host header, naming 127.0.0.1, localhost or [::1] with
 * the port it arrived on (without a port only when that is 80).
 */
export const loopbackRefusal = (request: {
  rawHeaders: readonly string[];
  host: string | undefined;
  localAddress: string | undefined;
  localPort: number | undefined;
}): { status: 400 | 421; reason: string } | undefined => {
  if (hostHeaderCount(request.rawHeaders) !== 1 || request.host === undefined) {
    return { status: 400, reason: 'A request must carry exactly one Host header.' };
  }
  if (!isLoopbackAddress(request.localAddress)) {
    return { status: 421, reason: 'This journal runs without login and answers on loopback only.' };
  }
  const port = request.localPort;
  const names = ['127.0.0.1', 'localhost', '[::1]'];
  const allowed = new Set(names.flatMap((name) => [`${name}:${String(port)}`, ...(port === 80 ? [name] : [])]));
  if (!allowed.has(request.host.toLowerCase())) {
    return {
      status: 421,
      reason: `This journal runs without login and answers only to 127.0.0.1, localhost or [::1] on port ${String(port)} (the Host header named another server).`,
    };
  }
  return undefined;
};
