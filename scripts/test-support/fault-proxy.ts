import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { Transform } from 'node:stream';

/**
 * A fault-injecting TCP proxy for tests of the sync engine against the real journal server: it
 * sits between a client and an HTTP upstream and, per connection, drops it, answers 500 or 503
 * itself, cuts the upstream's answer short, slows it down, or passes it through.
 *
 * The difference between the faults is the point of the proxy:
 * - `refuse`, `error500`, `unavailable503` and offline: the upstream never sees the request.
 * - `resetMidResponse`: the upstream processed the request (a POST is stored) and answered, but
 *   the client gets only the first bytes of the answer and then a TCP reset. That is the case
 *   that makes idempotent retries (If-None-Exist, If-Match) necessary.
 *
 * One request per connection: the proxy rewrites the request's `Connection` header to `close`, so
 * the upstream closes after its answer and the client (which sees `Connection: close` in the
 * answer) opens a new connection, and so draws a new fault, for its next request. It is
 * HTTP-aware only that far: it reads the request head (and, for its own answers, the body by
 * Content-Length or chunked end) and otherwise moves bytes.
 */

export interface FaultPlan {
  /** Probability of a TCP reset at once, before anything is read (the client sees ECONNRESET). */
  refuse?: number;
  /** Probability of the proxy answering 500 itself, without forwarding. */
  error500?: number;
  /** Probability of the proxy answering 503 with `Retry-After: 1` itself, without forwarding. */
  unavailable503?: number;
  /** Probability of forwarding, letting the upstream answer, then passing on only part of it and resetting. */
  resetMidResponse?: number;
  /** Bytes of the upstream's answer passed on before the reset; default: the head and half the body. Never the whole answer. */
  resetAfterBytes?: number;
  /** Probability of passing through with `delayMs` added to every chunk in both directions. */
  delay?: number;
  delayMs?: number;
}

export type FaultKind = 'refuse' | 'error500' | 'unavailable503' | 'resetMidResponse' | 'delay' | 'passThrough';

export interface FaultStats extends Record<FaultKind, number> {
  /** Every accepted connection, whatever happened to it. */
  connections: number;
  /** Connections refused because the proxy was offline (counted apart from `refuse`). */
  offline: number;
}

export interface FaultProxy {
  port: number;
  /** `http://127.0.0.1:<port>`; append the upstream's path (e.g. `/fhir`). */
  url: string;
  /** Applies to connections accepted from now on. */
  setFaults(plan: FaultPlan): void;
  /** Offline: every new connection is reset at once and the open ones are cut (the network is down). */
  setOnline(online: boolean): void;
  stats(): FaultStats;
  /** Stops listening and destroys every socket it holds, both sides. */
  close(): Promise<void>;
}

const PROBABILITIES = ['refuse', 'error500', 'unavailable503', 'resetMidResponse', 'delay'] as const;
/** A request head larger than this is not HTTP we expect; the connection is reset. */
const MAX_HEAD_BYTES = 64 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('0\r\n\r\n');
/** After writing the part of the answer that gets through, give the kernel a moment to deliver it before the reset. */
const RESET_GRACE_MS = 10;

const validate = (plan: FaultPlan): FaultPlan => {
  let sum = 0;
  for (const kind of PROBABILITIES) {
    const p = plan[kind] ?? 0;
    if (!(p >= 0 && p <= 1)) {
      throw new Error(`Fault probability ${kind} must be within [0, 1], not ${p}.`);
    }
    sum += p;
  }
  if (sum > 1 + 1e-9) {
    throw new Error(`Fault probabilities add up to ${sum}, more than 1.`);
  }
  return { ...plan };
};

const choose = (plan: FaultPlan, draw: number): FaultKind => {
  let edge = 0;
  for (const kind of PROBABILITIES) {
    edge += plan[kind] ?? 0;
    if (draw < edge) {
      return kind;
    }
  }
  return 'passThrough';
};

const ownAnswer = (status: 500 | 503): Buffer => {
  const body = JSON.stringify({
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: status === 503 ? 'transient' : 'exception', diagnostics: `Injected by the fault proxy (${status}).` }],
  });
  const head = [
    `HTTP/1.1 ${status} ${status === 503 ? 'Service Unavailable' : 'Internal Server Error'}`,
    'Content-Type: application/fhir+json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(status === 503 ? ['Retry-After: 1'] : []),
    'Connection: close',
  ];
  return Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`);
};

/** The request head with `Connection: close` in place of any Connection / Keep-Alive header. */
const closingHead = (head: string): string => {
  const lines = head.split('\r\n').filter((line, index) => index === 0 || !/^(connection|keep-alive)\s*:/i.test(line));
  return [...lines, 'Connection: close'].join('\r\n');
};

const headerValue = (head: string, name: string): string | undefined =>
  head
    .split('\r\n')
    .slice(1)
    .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
    .find((match) => match?.[1]?.trim().toLowerCase() === name)?.[2]
    ?.trim();

/** Whether `body` (what followed the head so far) holds the whole request body. */
const bodyComplete = (head: string, body: Buffer): boolean => {
  if (/chunked/i.test(headerValue(head, 'transfer-encoding') ?? '')) {
    return body.length >= CHUNKED_END.length && body.subarray(-CHUNKED_END.length).equals(CHUNKED_END);
  }
  return body.length >= Number(headerValue(head, 'content-length') ?? 0);
};

const delayed = (ms: number): Transform =>
  new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      setTimeout(() => callback(null, chunk), ms);
    },
  });

/** Where to cut an answer: the head and half the body by default, and always short of the whole. */
const cutAt = (answer: Buffer, resetAfterBytes: number | undefined): number => {
  const headEnd = answer.indexOf(HEAD_END);
  const wanted = resetAfterBytes ?? (headEnd < 0 ? Math.floor(answer.length / 2) : headEnd + HEAD_END.length + Math.floor((answer.length - headEnd - HEAD_END.length) / 2));
  return Math.max(0, Math.min(wanted, answer.length - 1));
};

export const startFaultProxy = async ({
  target,
  faults = {},
  random = Math.random,
}: {
  target: { host: string; port: number };
  faults?: FaultPlan;
  random?: () => number;
}): Promise<FaultProxy> => {
  let plan = validate(faults);
  let online = true;
  const sockets = new Set<Socket>();
  const counts: FaultStats = { connections: 0, offline: 0, refuse: 0, error500: 0, unavailable503: 0, resetMidResponse: 0, delay: 0, passThrough: 0 };

  const track = (socket: Socket): Socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // Resets are the business of this proxy; an unhandled 'error' would crash the test run.
    socket.on('error', () => undefined);
    return socket;
  };
  const reset = (socket: Socket): void => {
    if (!socket.destroyed) {
      socket.resetAndDestroy();
    }
  };

  const forward = (client: Socket, head: string, rest: Buffer, kind: 'resetMidResponse' | 'delay' | 'passThrough', current: FaultPlan): void => {
    const upstream = track(connect({ host: target.host, port: target.port }));
    upstream.on('error', () => reset(client));
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('connect', () => {
      const request = Buffer.concat([Buffer.from(`${closingHead(head)}\r\n\r\n`), rest]);
      if (kind === 'delay') {
        const delayMs = current.delayMs ?? 50;
        // The request bytes read so far go through the same delay as the rest, in order.
        const towardUpstream = delayed(delayMs);
        towardUpstream.pipe(upstream);
        towardUpstream.write(request);
        client.pipe(towardUpstream);
        upstream.pipe(delayed(delayMs)).pipe(client);
        return;
      }
      upstream.write(request);
      client.pipe(upstream);
      if (kind === 'passThrough') {
        upstream.pipe(client);
        return;
      }
      // resetMidResponse: the whole answer first (so the upstream surely finished processing), then a part of it and a reset.
      const answer: Buffer[] = [];
      upstream.on('data', (chunk: Buffer) => answer.push(chunk));
      upstream.on('end', () => {
        const whole = Buffer.concat(answer);
        client.write(whole.subarray(0, cutAt(whole, current.resetAfterBytes)), () => setTimeout(() => reset(client), RESET_GRACE_MS));
      });
    });
  };

  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const client = track(socket);
    counts.connections++;
    if (!online) {
      counts.offline++;
      reset(client);
      return;
    }
    const current = plan;
    const kind = choose(current, random());
    counts[kind]++;
    if (kind === 'refuse') {
      reset(client);
      return;
    }

    let received = Buffer.alloc(0);
    let head: string | undefined;
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      if (head === undefined) {
        const end = received.indexOf(HEAD_END);
        if (end < 0) {
          if (received.length > MAX_HEAD_BYTES) {
            reset(client);
          }
          return;
        }
        head = received.subarray(0, end).toString('latin1');
        received = received.subarray(end + HEAD_END.length);
      }
      if (kind === 'error500' || kind === 'unavailable503') {
        // Answer once the request is complete, so the client is not cut off while still sending.
        if (bodyComplete(head, received)) {
          client.off('data', onData);
          client.on('data', () => undefined);
          client.end(ownAnswer(kind === 'error500' ? 500 : 503));
        }
        return;
      }
      client.off('data', onData);
      client.pause();
      forward(client, head, received, kind, current);
    };
    client.on('data', onData);
    client.on('end', () => {
      if (head === undefined) {
        client.destroy();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    setFaults: (next) => {
      plan = validate(next);
    },
    setOnline: (next) => {
      online = next;
      if (!next) {
        for (const socket of sockets) {
          reset(socket);
        }
      }
    },
    stats: () => ({ ...counts }),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) {
        socket.destroy();
      }
      await closed;
    },
  };
};
