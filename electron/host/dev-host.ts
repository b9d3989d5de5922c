import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import sirv from 'sirv';
import { WebSocketServer } from 'ws';
import { MAX_MESSAGE_BYTES, WS_CONTRACT_PATH } from '../../shared/contract';
import type { Core, Logger } from '../core';
import { serveContractSocket } from './contract-socket';
import { LaunchSessions, SESSION_COOKIE, readCookie } from './launch-sessions';
import { applySecurityHeaders } from './security-headers';

export interface DevHostOptions {
  core: Core;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  log: Logger;
  /** 0 picks a free port. */
  port?: number;
}

export interface DevHost {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  /** The one-time link to open; spent by its first use. */
  readonly launchUrl: string;
  close(): Promise<void>;
}

/** Only loopback: the dev host is for this machine's browser, never the network. */
const LOOPBACK = '127.0.0.1';

const textPage = (res: ServerResponse, status: number, text: string): void => {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(text);
};

/** The request's path, or null for a request target that is not a URL path at all. */
const pathOf = (req: IncomingMessage): URL | null => {
  try {
    return new URL(req.url ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
};

/**
 * Security related: Node keeps the first of several Host headers, while a proxy or another parser
 * on the way may read the last: the check below would then pass on a name no one checked. A
 * request must carry exactly one.
 */
const hasOneHost = (req: IncomingMessage): boolean => {
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]?.toLowerCase() === 'host') {
      count += 1;
    }
  }
  return count === 1;
};

const refuseUpgrade = (socket: Duplex, status: number, reason: string): void => {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};

/**
 * The dev/test host: serves the built renderer and the same contract Electron main serves, over a
 * WebSocket on 127.0.0.1. Guards: loopback bind, Host check (DNS rebinding), one-time launch token
 * traded for an HttpOnly SameSite=Strict session cookie, Origin check on the socket.
 */
export const startDevHost = async ({ core, rendererDir, log, port = 0 }: DevHostOptions): Promise<DevHost> => {
  const sessions = new LaunchSessions();
  const assets = sirv(rendererDir, { dev: false, etag: true, dotfiles: false });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let origin = '';
  let host = '';

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    applySecurityHeaders(res);
    if (!hasOneHost(req)) {
      textPage(res, 400, 'Bad request: one Host header');
      return;
    }
    if (req.headers.host !== host) {
      textPage(res, 421, 'Misdirected request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      textPage(res, 405, 'Method not allowed');
      return;
    }
    const url = pathOf(req);
    if (url === null) {
      textPage(res, 400, 'Bad request');
      return;
    }
    if (url.pathname === '/launch') {
      const session = sessions.redeem(url.searchParams.get('token'));
      if (session === null) {
        log.warn('launch link refused (wrong or already used)');
        textPage(
          res,
          403,
          'Lenken er allerede brukt eller er ugyldig. Start arbeidsstasjonen på nytt (npm start) for en ny lenke.\n' +
            'This link has been used already or is not valid. Restart the workstation (npm start) for a new link.\n',
        );
        return;
      }
      res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`);
      res.statusCode = 303;
      res.setHeader('Location', '/');
      res.end();
      return;
    }
    if (!sessions.isValidSession(readCookie(req.headers.cookie, SESSION_COOKIE))) {
      textPage(
        res,
        401,
        'Åpne lenken som ble skrevet ut da arbeidsstasjonen startet (npm start).\n' +
          'Open the link printed when the workstation started (npm start).\n',
      );
      return;
    }
    assets(req, res, () => textPage(res, 404, 'Not found'));
  };

  const server = createServer(onRequest);

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node drops its own error listener on upgrade; a client resetting now must not crash the host.
    socket.on('error', () => socket.destroy());
    if (!hasOneHost(req)) {
      refuseUpgrade(socket, 400, 'Bad Request');
      return;
    }
    if (pathOf(req)?.pathname !== WS_CONTRACT_PATH) {
      refuseUpgrade(socket, 404, 'Not Found');
      return;
    }
    if (req.headers.host !== host || req.headers.origin !== origin) {
      log.warn('contract socket refused: foreign origin or host');
      refuseUpgrade(socket, 403, 'Forbidden');
      return;
    }
    if (!sessions.isValidSession(readCookie(req.headers.cookie, SESSION_COOKIE))) {
      log.warn('contract socket refused: no session');
      refuseUpgrade(socket, 401, 'Unauthorized');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      serveContractSocket(ws, core, log);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  host = `${LOOPBACK}:${address.port}`;
  origin = `http://${host}`;
  log.info({ port: address.port }, 'dev host listening');

  return {
    origin,
    launchUrl: `${origin}/launch?token=${sessions.launchToken}`,
    async close() {
      for (const client of wss.clients) {
        client.terminate();
      }
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
};
