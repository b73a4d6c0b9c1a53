#!/usr/bin/env node
/**
 * The baseline: a bare socket.io server doing Parley's relay and nothing else. Same namespaces,
 * events, ack shapes and fan-out (a visitor's room and one agents' room), both transports and the
 * same heartbeat, but no authentication, no validation, no database: what socket.io alone costs.
 *
 * Usage: node bench/dist/baseline/relay.js <port> [nodeId] [host]
 * Prints `relay <nodeId> ready on http://<host>:<port>` once listening; `GET /healthz` answers 200.
 * Port 0 picks a free port (the ready line names it). Stops on SIGINT or SIGTERM.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Events,
  Namespace,
  type AgentClientToServerEvents,
  type AgentServerToClientEvents,
  type AgentSocketData,
  type Conversation,
  type InterServerEvents,
  type Message,
  type SendMessageResult,
  type WidgetClientToServerEvents,
  type WidgetServerToClientEvents,
  type WidgetSocketData,
} from '@parley/protocol';
import { Server, type Namespace as IoNamespace } from 'socket.io';

type WidgetNamespace = IoNamespace<
  WidgetClientToServerEvents,
  WidgetServerToClientEvents,
  InterServerEvents,
  WidgetSocketData
>;
type AgentNamespace = IoNamespace<
  AgentClientToServerEvents,
  AgentServerToClientEvents,
  InterServerEvents,
  AgentSocketData
>;

/** The one room every agent joins: Parley's site inbox. */
const AGENTS_ROOM = 'agents';
const SITE_ID = 'relay-site';

interface RelayConversation {
  id: string;
  visitorId: string;
  seq: number;
  createdAt: string;
}

export interface Relay {
  url: string;
  port: number;
  nodeId: string;
  http: HttpServer;
  close(): Promise<void>;
}

/** Starts the relay; resolves once it listens. */
export async function startRelay(port: number, nodeId: string, host = '127.0.0.1'): Promise<Relay> {
  const http = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', node: nodeId }));
      return;
    }
    res.writeHead(404).end();
  });
  // As Parley's server: idle keep-alive connections outlive the clients' reuse of them.
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  const io = new Server(http, {
    // Parley's settings: both transports at start-up, its default heartbeat and buffer size.
    transports: ['polling', 'websocket'],
    pingInterval: 20_000,
    pingTimeout: 20_000,
    maxHttpBufferSize: 1_000_000,
    serveClient: false,
    cleanupEmptyChildNamespaces: true,
  });
  io.engine.generateId = () => `${nodeId}.${randomBytes(15).toString('base64url')}`;

  const conversations = new Map<string, RelayConversation>();
  const conversationOfVisitor = new Map<string, string>();
  const visitorOfToken = new Map<string, string>();
  const widget = io.of(Namespace.Widget) as WidgetNamespace;
  const agents = io.of(Namespace.Agent) as AgentNamespace;

  /** Numbers the message and publishes it as Parley does: visitor's room, then the agents' room. */
  const relay = (
    conversation: RelayConversation,
    authorKind: 'VISITOR' | 'AGENT',
    authorId: string,
    clientMessageId: string,
    body: string,
  ): SendMessageResult => {
    conversation.seq += 1;
    const now = new Date().toISOString();
    const message: Message = {
      id: randomUUID(),
      conversationId: conversation.id,
      seq: conversation.seq,
      authorKind,
      authorId,
      authorName: authorKind === 'AGENT' ? 'Agent' : null,
      body,
      internal: false,
      clientMessageId,
      createdAt: now,
    };
    const summary: Conversation = {
      id: conversation.id,
      siteId: SITE_ID,
      status: 'OPEN',
      assigneeId: null,
      lastSeq: conversation.seq,
      lastMessageAt: now,
      lastMessagePreview: body.slice(0, 140),
      snoozedUntil: null,
      createdAt: conversation.createdAt,
      visitor: {
        id: conversation.visitorId,
        name: null,
        email: null,
        pageUrl: null,
        userAgent: null,
        lastSeenAt: now,
      },
      visitorLastReadSeq: 0,
      agentLastReadSeq: 0,
      satisfaction: null,
    };
    widget.to(`visitor:${conversation.visitorId}`).emit(Events.MessageNew, message);
    agents.to(AGENTS_ROOM).emit(Events.ConversationUpdated, summary);
    agents.to(AGENTS_ROOM).emit(Events.MessageNew, message);
    return {
      id: message.id,
      seq: message.seq,
      conversationId: conversation.id,
      duplicate: false,
      message,
    };
  };

  widget.on('connection', (socket) => {
    const auth = socket.handshake.auth as { visitorToken?: unknown };
    const known = typeof auth.visitorToken === 'string' ? auth.visitorToken : undefined;
    const token = known ?? randomBytes(32).toString('base64url');
    let visitorId = visitorOfToken.get(token);
    if (!visitorId) {
      visitorId = randomUUID();
      visitorOfToken.set(token, visitorId);
    }
    const id = visitorId;
    socket.data = { siteId: SITE_ID, visitorId: id };
    void socket.join(`visitor:${id}`);
    const open = conversations.get(conversationOfVisitor.get(id) ?? '');
    socket.emit(Events.SessionReady, {
      visitorId: id,
      ...(known ? {} : { visitorToken: token }),
      name: null,
      email: null,
      conversations: open
        ? [
            {
              id: open.id,
              status: 'OPEN',
              lastSeq: open.seq,
              lastMessageAt: null,
              createdAt: open.createdAt,
            },
          ]
        : [],
    });
    socket.on(Events.MessageSend, (payload, ack) => {
      let conversation = conversations.get(conversationOfVisitor.get(id) ?? '');
      if (!conversation) {
        conversation = {
          id: randomUUID(),
          visitorId: id,
          seq: 0,
          createdAt: new Date().toISOString(),
        };
        conversations.set(conversation.id, conversation);
        conversationOfVisitor.set(id, conversation.id);
      }
      ack({
        ok: true,
        data: relay(conversation, 'VISITOR', id, payload.clientMessageId, payload.body),
      });
    });
  });

  agents.on('connection', (socket) => {
    const agentId = randomUUID();
    socket.data = { agentId, role: 'AGENT', sessionId: agentId };
    void socket.join(AGENTS_ROOM);
    socket.on(Events.MessageSend, (payload, ack) => {
      const conversation = conversations.get(payload.conversationId);
      if (!conversation) {
        ack({
          ok: false,
          error: { code: 'NOT_FOUND', message: 'This conversation does not exist.' },
        });
        return;
      }
      ack({
        ok: true,
        data: relay(conversation, 'AGENT', agentId, payload.clientMessageId, payload.body),
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, resolve);
  });
  const actual = (http.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${actual}`,
    port: actual,
    nodeId,
    http,
    close: () =>
      new Promise<void>((resolve) => {
        void io.close(() => {
          resolve();
        });
      }),
  };
}

if (require.main === module) {
  const [portArg = '0', nodeId = 'relay', host = '127.0.0.1'] = process.argv.slice(2);
  const port = Number(portArg);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`usage: relay <port> [nodeId] [host]; "${portArg}" is not a port`);
    process.exit(2);
  }
  startRelay(port, nodeId, host).then(
    (relay) => {
      console.log(`relay ${nodeId} ready on ${relay.url}`);
      const stop = () => {
        void relay.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
