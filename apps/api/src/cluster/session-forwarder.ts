import { Agent, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { MetricsService } from '../observability/metrics.service';
import { nodeOfSession, NodeRegistry } from './node-registry';

/** Set on every response: the node the load balancer sent the request to. */
export const NODE_HEADER = 'x-parley-node';
/** Set on forwarded responses: the node that holds the session and answered. */
export const FORWARDED_TO_HEADER = 'x-parley-forwarded-to';
/** Marks a forwarded request, so that it is never forwarded twice. */
export const FORWARDED_BY_HEADER = 'x-parley-forwarded-by';

const ENGINE_PATH = '/socket.io/';
/** Headers that describe one hop and must not be copied to the next. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

type Route =
  | { kind: 'local' }
  | { kind: 'draining' }
  | { kind: 'remote'; owner: string; forwardedAlready: boolean };

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;
type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Long-polling and WebSocket without sticky sessions. An engine.io session lives in one node and
 * its id starts with that node's id; a request for it that the balancer sent elsewhere is
 * forwarded straight to the owner (one hop, one cached Redis lookup). A session whose node is
 * gone is answered like an unknown session: the client reconnects and resyncs.
 */
@Injectable()
export class SessionForwarder implements OnApplicationShutdown {
  private readonly logger = new Logger('SessionForwarder');
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 512 });
  private draining = false;
  /** Forwarded requests and tunnels still open, ended at shutdown. */
  private readonly open = new Set<{ end(): void }>();

  constructor(
    private readonly registry: NodeRegistry,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Puts the forwarder in front of every listener engine.io and Express registered. */
  install(server: Server): void {
    const onRequest = server.listeners('request') as RequestListener[];
    const onUpgrade = server.listeners('upgrade') as UpgradeListener[];
    server.removeAllListeners('request');
    server.removeAllListeners('upgrade');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      res.setHeader(NODE_HEADER, this.config.NODE_ID);
      const route = this.route(req);
      if (route.kind === 'local') {
        for (const listener of onRequest) listener.call(server, req, res);
      } else if (route.kind === 'draining') {
        this.refuseHandshake(res);
      } else {
        void this.forwardRequest(req, res, route);
      }
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const route = this.route(req);
      if (route.kind === 'local') {
        for (const listener of onUpgrade) listener.call(server, req, socket, head);
      } else if (route.kind === 'draining') {
        writeRawResponse(socket, 503, 'Service Unavailable', drainingBody());
      } else {
        void this.forwardUpgrade(req, socket, head, route);
      }
    });
  }

  /** From now on, new sessions are refused here (the balancer retries them on another node). */
  startDraining(): void {
    this.draining = true;
  }

  /** Forwarded requests and tunnels open now. */
  get openForwards(): number {
    return this.open.size;
  }

  /**
   * Ends every forwarded request and tunnel (a long-poll waits up to a ping interval): their
   * clients retry through the balancer, which sends them to another node that forwards again.
   */
  endForwarded(): number {
    const count = this.open.size;
    for (const entry of [...this.open]) entry.end();
    this.open.clear();
    return count;
  }

  onApplicationShutdown(): void {
    this.agent.destroy();
  }

  private route(req: IncomingMessage): Route {
    const url = req.url ?? '/';
    if (!url.startsWith(ENGINE_PATH)) return { kind: 'local' };
    const sid = new URLSearchParams(url.slice(url.indexOf('?') + 1)).get('sid');
    if (!sid) return this.draining ? { kind: 'draining' } : { kind: 'local' };
    const owner = nodeOfSession(sid);
    if (!owner || owner === this.config.NODE_ID) return { kind: 'local' };
    return { kind: 'remote', owner, forwardedAlready: Boolean(req.headers[FORWARDED_BY_HEADER]) };
  }

  private async target(route: Extract<Route, { kind: 'remote' }>): Promise<URL | null> {
    if (route.forwardedAlready) return null;
    const url = await this.registry.lookup(route.owner);
    return url ? new URL(url) : null;
  }

  private async forwardRequest(
    req: IncomingMessage,
    res: ServerResponse,
    route: Extract<Route, { kind: 'remote' }>,
  ): Promise<void> {
    const target = await this.target(route);
    if (!target) {
      this.count('polling', route.owner, 'gone');
      sessionUnknown(res);
      req.resume();
      return;
    }
    const upstream = request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: this.forwardedHeaders(req),
      agent: this.agent,
    });
    upstream.on('response', (answer) => {
      this.count('polling', route.owner, 'forwarded');
      res.writeHead(answer.statusCode ?? 502, {
        ...withoutHopByHop(answer.headers),
        [NODE_HEADER]: this.config.NODE_ID,
        [FORWARDED_TO_HEADER]: route.owner,
      });
      answer.pipe(res);
    });
    let clientGone = false;
    const entry = {
      end: () => {
        clientGone = true;
        upstream.destroy();
        res.destroy();
      },
    };
    this.open.add(entry);
    res.on('close', () => this.open.delete(entry));
    upstream.on('error', (error) => {
      if (clientGone) return;
      this.failed('polling', route.owner, error);
      if (res.headersSent) res.destroy();
      else sessionUnknown(res);
    });
    // The client gave up (or the balancer timed out): stop waiting on the owner too.
    res.on('close', () => {
      if (res.writableFinished) return;
      clientGone = true;
      upstream.destroy();
    });
    req.pipe(upstream);
  }

  private async forwardUpgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    route: Extract<Route, { kind: 'remote' }>,
  ): Promise<void> {
    socket.on('error', () => socket.destroy());
    const target = await this.target(route);
    if (!target) {
      this.count('upgrade', route.owner, 'gone');
      writeRawResponse(socket, 400, 'Bad Request', SESSION_UNKNOWN_BODY);
      return;
    }
    const upstream = request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: {
        ...this.forwardedHeaders(req),
        connection: 'Upgrade',
        upgrade: req.headers.upgrade ?? 'websocket',
      },
    });
    upstream.on('upgrade', (answer, upstreamSocket, upstreamHead) => {
      this.count('upgrade', route.owner, 'forwarded');
      const entry = {
        end: () => {
          upstreamSocket.destroy();
          socket.destroy();
        },
      };
      this.open.add(entry);
      socket.on('close', () => this.open.delete(entry));
      upstreamSocket.on('error', () => socket.destroy());
      socket.on('close', () => upstreamSocket.destroy());
      upstreamSocket.on('close', () => socket.destroy());
      socket.write(rawHead(101, 'Switching Protocols', answer.rawHeaders));
      if (upstreamHead.length) socket.write(upstreamHead);
      if (head.length) upstreamSocket.write(head);
      upstreamSocket.pipe(socket);
      socket.pipe(upstreamSocket);
    });
    upstream.on('response', (answer) => {
      // The owner refused the upgrade (mode, unknown session): pass its answer on.
      this.count('upgrade', route.owner, 'forwarded');
      socket.write(
        rawHead(answer.statusCode ?? 502, answer.statusMessage ?? '', [
          ...withoutHopByHopRaw(answer.rawHeaders),
          'Connection',
          'close',
        ]),
      );
      answer.pipe(socket);
    });
    upstream.on('error', (error) => {
      this.failed('upgrade', route.owner, error);
      writeRawResponse(socket, 400, 'Bad Request', SESSION_UNKNOWN_BODY);
    });
    upstream.end();
  }

  private forwardedHeaders(req: IncomingMessage): Record<string, string | string[]> {
    const headers = withoutHopByHop(req.headers);
    const peer = req.socket.remoteAddress;
    const prior = req.headers['x-forwarded-for'];
    if (peer) headers['x-forwarded-for'] = prior ? `${String(prior)}, ${peer}` : peer;
    headers[FORWARDED_BY_HEADER] = this.config.NODE_ID;
    return headers;
  }

  private count(kind: 'polling' | 'upgrade', target: string, outcome: string): void {
    this.metrics.forwardedRequests.inc({ kind, target, outcome });
  }

  private failed(kind: 'polling' | 'upgrade', owner: string, error: Error): void {
    this.count(kind, owner, 'failed');
    const code = (error as NodeJS.ErrnoException).code;
    // A refused connection means the owner died: do not trust the cached address.
    if (code === 'ECONNREFUSED') this.registry.forget(owner);
    this.logger.warn(
      `Could not forward a ${kind} request to node ${owner}: ${code ?? error.message}`,
    );
  }

  private refuseHandshake(res: ServerResponse): void {
    this.metrics.handshakesRefused.inc({ reason: 'draining' });
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(drainingBody());
  }
}

/** engine.io's own answer for a session it does not hold; clients reconnect on it. */
const SESSION_UNKNOWN_BODY = JSON.stringify({ code: 1, message: 'Session ID unknown' });

function sessionUnknown(res: ServerResponse): void {
  res.writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(SESSION_UNKNOWN_BODY);
}

function drainingBody(): string {
  return JSON.stringify({
    code: 'NODE_DRAINING',
    message: 'This node is shutting down; connect again to reach another node.',
  });
}

function withoutHopByHop(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

function withoutHopByHopRaw(rawHeaders: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    if (!HOP_BY_HOP.has(name.toLowerCase())) out.push(name, rawHeaders[i + 1] ?? '');
  }
  return out;
}

function rawHead(status: number, message: string, rawHeaders: string[]): string {
  let head = `HTTP/1.1 ${status} ${message}\r\n`;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2)
    head += `${rawHeaders[i]}: ${rawHeaders[i + 1]}\r\n`;
  return `${head}\r\n`;
}

function writeRawResponse(socket: Duplex, status: number, message: string, body: string): void {
  if (!socket.writable) return;
  socket.end(
    rawHead(status, message, [
      'Content-Type',
      'application/json',
      'Content-Length',
      String(Buffer.byteLength(body)),
      'Connection',
      'close',
    ]) + body,
  );
}
