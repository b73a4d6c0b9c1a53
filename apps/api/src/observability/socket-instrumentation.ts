import { Inject, Injectable } from '@nestjs/common';
import { AgentClientContract, Events, Namespace, WidgetClientContract } from '@parley/protocol';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import { clientAddress, compileTrustedProxies, type TrustProxy } from '../common/client-address';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { MetricsService } from './metrics.service';
import { ROOT_LOGGER } from './logger';

const NAMESPACES = [
  { name: Namespace.Widget, events: new Set(Object.keys(WidgetClientContract)) },
  { name: Namespace.Agent, events: new Set(Object.keys(AgentClientContract)) },
];

type Ack = (response: unknown) => void;

/**
 * What every connection reports without the gateways knowing: connection logs with node,
 * connection and visitor or agent ids; message and ack metrics; unknown events counted; and the
 * number of client requests still being handled, which a graceful shutdown waits for.
 */
@Injectable()
export class SocketInstrumentation {
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly logger: Logger;
  private readonly sentCounters = new Map<string, (event: string) => void>();

  private readonly trust: TrustProxy;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(ROOT_LOGGER) root: Logger,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.logger = root.child({ context: 'Connections' });
    this.trust = compileTrustedProxies(config.TRUSTED_PROXIES);
  }

  attach(server: Server): void {
    for (const { name, events } of NAMESPACES) {
      server.of(name).on('connection', (socket: Socket) => {
        this.instrument(socket, name, events);
      });
    }
    this.metrics.countConnectionsWith(() => {
      const counts = new Map<string, { namespace: string; transport: string; count: number }>();
      for (const { name } of NAMESPACES) {
        for (const socket of server.of(name).sockets.values()) {
          const transport = socket.conn.transport.name;
          const key = `${name} ${transport}`;
          const entry = counts.get(key) ?? { namespace: name, transport, count: 0 };
          entry.count += 1;
          counts.set(key, entry);
        }
      }
      return [...counts.values()];
    });
  }

  /** Client requests received and not yet acknowledged. */
  pending(): number {
    return this.inFlight;
  }

  /** Resolves when no client request is being handled, or after `timeoutMs`; true when idle. */
  async idle(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(done);
    });
  }

  /**
   * Every idle connection keeps what this leaves on its socket, so it leaves little: no logger of
   * its own (the connection's fields are put on each line as it is written), and listeners that
   * share one small scope.
   */
  private instrument(socket: Socket, namespace: string, known: Set<string>): void {
    const fields = () => ({ connectionId: socket.id, namespace, ...principal(socket) });
    this.logger.info(
      {
        ...fields(),
        transport: socket.conn.transport.name,
        ip: clientAddress(socket.request, this.trust),
      },
      'connected',
    );
    if (this.logger.isLevelEnabled('debug')) {
      socket.conn.once('upgrade', () => {
        this.logger.debug(fields(), 'upgraded to websocket');
      });
    }
    socket.once('disconnect', (reason) => {
      this.logger.info({ ...fields(), reason }, 'disconnected');
    });
    socket.onAnyOutgoing(this.countSent(namespace));
    socket.use((packet, next) => {
      const event = packet[0];
      if (!known.has(event)) {
        this.metrics.unknownEvents.inc({ namespace });
        this.logger.debug({ ...fields(), event }, 'ignored an unknown event');
        next();
        return;
      }
      if (event === Events.MessageSend) this.metrics.messagesReceived.inc({ namespace });
      const last = packet.length - 1;
      const ack: unknown = packet[last];
      if (last > 0 && typeof ack === 'function') {
        const started = performance.now();
        this.inFlight += 1;
        let answered = false;
        packet[last] = ((response: unknown) => {
          if (!answered) {
            answered = true;
            this.settled();
            this.metrics.ackDuration.observe(
              { namespace, event, outcome: isOk(response) ? 'ok' : 'error' },
              (performance.now() - started) / 1000,
            );
          }
          (ack as Ack)(response);
        }) satisfies Ack;
      }
      next();
    });
  }

  /** One listener per namespace, shared by its sockets: counts the messages sent to clients. */
  private countSent(namespace: string): (event: string) => void {
    let count = this.sentCounters.get(namespace);
    if (!count) {
      count = (event: string) => {
        if (event === Events.MessageNew) this.metrics.messagesSent.inc({ namespace });
      };
      this.sentCounters.set(namespace, count);
    }
    return count;
  }

  private settled(): void {
    this.inFlight -= 1;
    if (this.inFlight > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiters) waiter();
  }
}

function principal(socket: Socket): Record<string, string> {
  const data = socket.data as { visitorId?: unknown; agentId?: unknown };
  if (typeof data.visitorId === 'string') return { visitorId: data.visitorId };
  if (typeof data.agentId === 'string') return { agentId: data.agentId };
  return {};
}

function isOk(response: unknown): boolean {
  return (
    typeof response === 'object' && response !== null && (response as { ok?: unknown }).ok === true
  );
}
