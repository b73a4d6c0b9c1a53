/**
 * The load generator: a separate process (forked by the runner, driven over IPC) holding simulated
 * visitors on `/widget` and agents on `/agent`, speaking Parley's wire contract with the official
 * `socket.io-client`. Each message carries a client id and its send time, so the generator measures
 * send → ack and send → delivery at every intended recipient, and counts what never arrives.
 */
import { subscribe } from 'node:diagnostics_channel';
import { Agent as HttpAgent } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import {
  Events,
  Namespace,
  type AgentClientToServerEvents,
  type AgentServerToClientEvents,
  type Message,
  type SendMessageResult,
  type Ack,
  type VisitorSession,
  type WidgetClientToServerEvents,
  type WidgetServerToClientEvents,
} from '@parley/protocol';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type {
  ConnectRequest,
  ConnectResult,
  GeneratorRequest,
  LoadRequest,
  LoadResult,
  OpenRequest,
  OpenResult,
  StatsResult,
  Transport,
  WithId,
} from './messages';
import { Samples } from './samples';
import { processTimes, timesBetween } from '../proc';

type WidgetClient = Socket<WidgetServerToClientEvents, WidgetClientToServerEvents>;
type AgentClient = Socket<AgentServerToClientEvents, AgentClientToServerEvents>;

interface Visitor {
  index: number;
  socket: WidgetClient;
  conversationId: string | null;
  /** Issued in the first `session:ready`: a reconnection comes back as the same visitor. */
  token: string | null;
}

interface Sent {
  sentAt: number;
  fromVisitor: boolean;
  visitor: number;
  /** Recipients still expected: every agent, and the visitor. */
  remaining: number;
  /** Agents that received it (bit per agent index). */
  agentsSeen: number;
  visitorSeen: boolean;
  acked: boolean;
}

/**
 * Polling clients reuse connections, as browsers do (the Node client opens one per request
 * otherwise). Reuse needs the server to keep idle connections open longer than the client does:
 * with Node's default 5 s, requests sent on a connection the server was closing failed (transport
 * errors, ping timeouts, lost acks, against the bare relay as much as against Parley), so both
 * servers keep them for 65 s.
 */
const keepAlive = new HttpAgent({ keepAlive: true });

const visitors: Visitor[] = [];
const agents: AgentClient[] = [];
/** Messages of the current load run, by client message id. */
const inFlight = new Map<string, Sent>();
let measuring = false;
/** Every HTTP request this process makes (the polling transport's GETs and POSTs). */
let httpRequests = 0;
subscribe('http.client.request.start', () => {
  httpRequests++;
});
let disconnects = 0;
let duplicates = 0;
/** Latencies of the current load run. */
let visitorToAgent = new Samples();
let agentToVisitor = new Samples();
const tag = `b${process.pid.toString(36)}`;
let counter = 0;

function clientOptions(
  transport: Transport,
  timeoutMs: number,
): Partial<ManagerOptions & SocketOptions> {
  return {
    transports: [transport],
    upgrade: false,
    rememberUpgrade: false,
    reconnection: false,
    forceNew: true,
    timeout: timeoutMs,
    // engine.io-client hands `agent` to its Node XMLHttpRequest; its type only names the browser's.
    ...(transport === 'polling' ? { agent: keepAlive as unknown as string } : {}),
  };
}

function onDelivered(message: Message, agentIndex: number | null): void {
  const sent = inFlight.get(message.clientMessageId);
  if (!sent) return;
  const now = performance.now();
  if (agentIndex === null) {
    if (sent.visitorSeen) {
      duplicates++;
      return;
    }
    sent.visitorSeen = true;
    if (!sent.fromVisitor) agentToVisitor.push(now - sent.sentAt);
  } else {
    const bit = 1 << agentIndex;
    if (sent.agentsSeen & bit) {
      duplicates++;
      return;
    }
    sent.agentsSeen |= bit;
    if (sent.fromVisitor) visitorToAgent.push(now - sent.sentAt);
  }
  sent.remaining--;
  if (sent.remaining === 0 && sent.acked) inFlight.delete(message.clientMessageId);
}

/** Why sockets disconnected during the current run (socket.io's reasons), by reason. */
let disconnectReasons: Record<string, number> = {};

function watchDisconnect(socket: Socket): void {
  socket.on('disconnect', (reason) => {
    if (!measuring) return;
    disconnects++;
    disconnectReasons[reason] = (disconnectReasons[reason] ?? 0) + 1;
  });
}

/**
 * Reconnects every client that a previous run left disconnected (the clients do not reconnect by
 * themselves, so that a run sees its own disconnects), so that each run starts at full strength.
 */
async function restore(timeoutMs: number): Promise<number> {
  const reconnect = (connect: (done: () => void, fail: (e: Error) => void) => void) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('reconnection timed out'));
      }, timeoutMs);
      connect(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (error) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  const tasks: (() => Promise<void>)[] = [
    ...agents
      .filter((a) => !a.connected)
      .map(
        (socket) => () =>
          reconnect((done, fail) => {
            socket.once('connect', done);
            socket.once('connect_error', fail);
            socket.connect();
          }),
      ),
    ...visitors
      .filter((v) => !v.socket.connected)
      .map(
        ({ socket, token }) =>
          () =>
            reconnect((done, fail) => {
              if (token)
                socket.auth = { ...(socket.auth as Record<string, unknown>), visitorToken: token };
              socket.once(Events.SessionReady, () => {
                done();
              });
              socket.once('connect_error', fail);
              socket.connect();
            }),
      ),
  ];
  const { failed } = await pool(tasks.length, 50, (i) => tasks[i]?.() ?? Promise.resolve());
  return tasks.length - failed;
}

function connectAgent(url: string, cookie: string, req: ConnectRequest): Promise<AgentClient> {
  const index = agents.length;
  const socket: AgentClient = io(`${url}${Namespace.Agent}`, {
    ...clientOptions(req.transport, req.timeoutMs),
    ...(cookie ? { extraHeaders: { cookie } } : {}),
  });
  agents.push(socket);
  socket.on(Events.MessageNew, (message) => {
    onDelivered(message, index);
  });
  watchDisconnect(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      resolve(socket);
    });
    socket.once('connect_error', reject);
  });
}

function connectVisitor(req: ConnectRequest): Promise<Visitor> {
  const socket: WidgetClient = io(`${req.url}${Namespace.Widget}`, {
    ...clientOptions(req.transport, req.timeoutMs),
    auth: { siteKey: req.siteKey },
  });
  const visitor: Visitor = { index: -1, socket, conversationId: null, token: null };
  socket.on(Events.MessageNew, (message) => {
    onDelivered(message, null);
  });
  watchDisconnect(socket);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.disconnect();
      reject(new Error(`no session:ready within ${req.timeoutMs} ms`));
    }, req.timeoutMs);
    socket.once(Events.SessionReady, (session: VisitorSession) => {
      clearTimeout(timer);
      visitor.conversationId = session.conversations.find((c) => c.status === 'OPEN')?.id ?? null;
      visitor.token = session.visitorToken ?? null;
      resolve(visitor);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      socket.disconnect();
      reject(error);
    });
  });
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` at once; returns failures' messages. */
async function pool(
  n: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<{ failed: number; errors: string[] }> {
  let next = 0;
  let failed = 0;
  const errors = new Set<string>();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      try {
        await task(i);
      } catch (error) {
        failed++;
        if (errors.size < 5) errors.add(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return { failed, errors: [...errors] };
}

async function connect(req: WithId<ConnectRequest>): Promise<ConnectResult> {
  const started = performance.now();
  const agentErrors: string[] = [];
  if (agents.length === 0) {
    for (const cookie of req.agentCookies) {
      try {
        await connectAgent(req.url, cookie, req);
      } catch (error) {
        agentErrors.push(`agent: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  const { failed, errors } = await pool(req.visitors, req.concurrency, async () => {
    const visitor = await connectVisitor(req);
    visitor.index = visitors.length;
    visitors.push(visitor);
  });
  return {
    type: 'connected',
    id: req.id,
    agents: agents.filter((a) => a.connected).length,
    visitors: visitors.length,
    failed: failed + agentErrors.length,
    errors: [...agentErrors, ...errors],
    ms: performance.now() - started,
  };
}

function nextClientId(): string {
  return `${tag}-${(counter++).toString(36).padStart(6, '0')}`;
}

function bodyFor(id: string): string {
  return `${id} sent at ${new Date().toISOString()}: hello, is my order on its way?`;
}

async function open(req: WithId<OpenRequest>): Promise<OpenResult> {
  const started = performance.now();
  const waiting = visitors.filter((v) => v.conversationId === null);
  const { failed, errors } = await pool(waiting.length, req.concurrency, async (i) => {
    const visitor = waiting[i];
    if (!visitor) return;
    const id = nextClientId();
    const res = (await visitor.socket.timeout(req.timeoutMs).emitWithAck(Events.MessageSend, {
      clientMessageId: id,
      body: bodyFor(id),
    })) as Ack<SendMessageResult>;
    if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`);
    visitor.conversationId = res.data.conversationId;
  });
  return {
    type: 'opened',
    id: req.id,
    conversations: visitors.filter((v) => v.conversationId !== null).length,
    failed,
    errors,
    ms: performance.now() - started,
  };
}

async function load(req: WithId<LoadRequest>): Promise<LoadResult> {
  const restored = await restore(req.ackTimeoutMs);
  const ready = visitors.filter((v) => v.conversationId !== null && v.socket.connected);
  if (ready.length === 0) throw new Error('no visitor with a conversation is connected');
  // Recipients expected: the agents connected now (an agent that stays away is not waited for).
  const senders = agents.filter((a) => a.connected);
  const agentCount = senders.length;
  const ack = new Samples();
  const ackErrors: Record<string, number> = {};
  const countError = (code: string) => {
    ackErrors[code] = (ackErrors[code] ?? 0) + 1;
  };
  inFlight.clear();
  disconnects = 0;
  disconnectReasons = {};
  duplicates = 0;
  visitorToAgent = new Samples();
  agentToVisitor = new Samples();
  measuring = true;
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const cpuStart = process.cpuUsage();
  const timesStart = processTimes(process.pid);
  const requestsStart = httpRequests;
  let sent = 0;
  let acked = 0;
  const started = performance.now();
  const stopAt = started + req.durationMs;

  const sendOne = () => {
    const visitor = ready[Math.floor(Math.random() * ready.length)];
    if (!visitor?.conversationId) return;
    const fromVisitor = agentCount === 0 || sent % 2 === 0;
    const id = nextClientId();
    const record: Sent = {
      sentAt: performance.now(),
      fromVisitor,
      visitor: visitor.index,
      remaining: agentCount + 1,
      agentsSeen: 0,
      visitorSeen: false,
      acked: false,
    };
    inFlight.set(id, record);
    sent++;
    const payload = {
      conversationId: visitor.conversationId,
      clientMessageId: id,
      body: bodyFor(id),
    };
    const onAck = (error: Error | null, res?: Ack<SendMessageResult>) => {
      if (error || !res) {
        countError('TIMEOUT');
        inFlight.delete(id);
        return;
      }
      if (!res.ok) {
        countError(res.error.code);
        inFlight.delete(id);
        return;
      }
      ack.push(performance.now() - record.sentAt);
      acked++;
      record.acked = true;
      if (record.remaining === 0) inFlight.delete(id);
    };
    if (fromVisitor) {
      visitor.socket.timeout(req.ackTimeoutMs).emit(Events.MessageSend, payload, onAck);
    } else {
      const agent = senders[visitor.index % agentCount];
      agent?.timeout(req.ackTimeoutMs).emit(Events.MessageSend, payload, onAck);
    }
  };

  // Open loop: the number due by now is sent, whatever the replies, so a slow server meets a
  // growing queue instead of a politely slower client.
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = Math.min(performance.now(), stopAt);
      const due = Math.floor(((now - started) / 1000) * req.rate);
      while (sent < due) sendOne();
      if (now >= stopAt) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  const sendingMs = performance.now() - started;

  const drainUntil = performance.now() + req.drainMs;
  while (inFlight.size > 0 && performance.now() < drainUntil) {
    await new Promise((r) => setTimeout(r, 20));
  }
  measuring = false;
  lag.disable();
  const cpu = process.cpuUsage(cpuStart);
  const times = timesBetween(timesStart, processTimes(process.pid));
  const elapsedMs = performance.now() - started;

  let lost = 0;
  let missingDeliveries = 0;
  for (const record of inFlight.values()) {
    if (!record.acked) {
      countError('TIMEOUT');
      continue;
    }
    lost++;
    missingDeliveries += record.remaining;
  }
  inFlight.clear();
  const all = new Samples();
  all.merge(visitorToAgent);
  all.merge(agentToVisitor);
  return {
    type: 'loaded',
    id: req.id,
    rate: req.rate,
    sent,
    sentRate: sent / (sendingMs / 1000),
    acked,
    ackErrors,
    delivered: acked - lost,
    lost,
    missingDeliveries,
    duplicates,
    disconnects,
    disconnectReasons,
    restored,
    visitorToAgent: visitorToAgent.summary(),
    agentToVisitor: agentToVisitor.summary(),
    endToEnd: all.summary(),
    ack: ack.summary(),
    httpRequests: httpRequests - requestsStart,
    generatorCpu: (cpu.user + cpu.system) / 1000 / elapsedMs,
    generatorLagP99Ms: lag.percentile(99) / 1e6,
    generatorWaiting: times.waiting / (elapsedMs / 1000),
    ms: elapsedMs,
  };
}

function stats(id: number): StatsResult {
  return {
    type: 'stats',
    id,
    visitors: visitors.length,
    agents: agents.length,
    connected:
      visitors.filter((v) => v.socket.connected).length + agents.filter((a) => a.connected).length,
    rss: process.memoryUsage().rss,
    httpRequests,
  };
}

function closeAll(): void {
  measuring = false;
  for (const visitor of visitors) visitor.socket.disconnect();
  for (const agent of agents) agent.disconnect();
  visitors.length = 0;
  agents.length = 0;
  keepAlive.destroy();
}

process.on('message', (raw: WithId<GeneratorRequest>) => {
  const reply = (message: object) => {
    process.send?.(message);
  };
  const fail = (error: unknown) => {
    reply({
      type: 'error',
      id: raw.id,
      message: error instanceof Error ? error.message : String(error),
    });
  };
  switch (raw.type) {
    case 'connect':
      connect(raw).then(reply, fail);
      break;
    case 'open':
      open(raw).then(reply, fail);
      break;
    case 'load':
      load(raw).then(reply, fail);
      break;
    case 'stats':
      reply(stats(raw.id));
      break;
    case 'close':
      closeAll();
      reply({ type: 'closed', id: raw.id });
      setTimeout(() => process.exit(0), 100);
      break;
  }
});

// The runner is gone: so is the generator.
process.on('disconnect', () => {
  closeAll();
  process.exit(0);
});
