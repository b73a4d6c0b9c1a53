import { Inject, Injectable } from '@nestjs/common';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CollectFunction,
} from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../config/config';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface ConnectionCount {
  namespace: string;
  transport: string;
  count: number;
}

/**
 * This node's Prometheus metrics, served at GET /metrics. Every series carries `node`. The
 * registry is per application, so that several nodes in one process (tests) keep their own.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private connectionSource: () => ConnectionCount[] = () => [];

  readonly connections: Gauge<'namespace' | 'transport'>;
  readonly messagesReceived: Counter<'namespace'>;
  readonly messagesSent: Counter<'namespace'>;
  readonly ackDuration: Histogram<'namespace' | 'event' | 'outcome'>;
  readonly unknownEvents: Counter<'namespace'>;
  readonly forwardedRequests: Counter<'kind' | 'target' | 'outcome'>;
  readonly handshakesRefused: Counter<'reason'>;
  readonly databaseLatency: Histogram;
  readonly redisLatency: Histogram;
  readonly redisUp: Gauge;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.registry.setDefaultLabels({ node: config.NODE_ID });
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    // prom-client calls collect with the metric as `this`.
    const source = () => this.connectionSource();
    const collect: CollectFunction<Gauge<'namespace' | 'transport'>> = function () {
      this.reset();
      for (const c of source()) {
        this.set({ namespace: c.namespace, transport: c.transport }, c.count);
      }
    };
    this.connections = new Gauge({
      name: 'parley_connections',
      help: 'Live socket.io connections on this node, by namespace and transport',
      labelNames: ['namespace', 'transport'],
      registers,
      collect,
    });
    this.messagesReceived = new Counter({
      name: 'parley_messages_received_total',
      help: 'message:send events received from clients',
      labelNames: ['namespace'],
      registers,
    });
    this.messagesSent = new Counter({
      name: 'parley_messages_sent_total',
      help: 'message:new events delivered to clients connected to this node',
      labelNames: ['namespace'],
      registers,
    });
    this.ackDuration = new Histogram({
      name: 'parley_ack_duration_seconds',
      help: 'Time from receiving a client event to sending its ack',
      labelNames: ['namespace', 'event', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.unknownEvents = new Counter({
      name: 'parley_unknown_events_total',
      help: 'Client events that no handler knows, ignored',
      labelNames: ['namespace'],
      registers,
    });
    this.forwardedRequests = new Counter({
      name: 'parley_forwarded_requests_total',
      help: 'Long-polling requests and upgrades whose session lives on another node, forwarded there',
      labelNames: ['kind', 'target', 'outcome'],
      registers,
    });
    this.handshakesRefused = new Counter({
      name: 'parley_handshakes_refused_total',
      help: 'Connection attempts refused before a session existed',
      labelNames: ['reason'],
      registers,
    });
    this.databaseLatency = new Histogram({
      name: 'parley_database_ping_seconds',
      help: 'Round-trip time of a trivial database query, probed periodically',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.redisLatency = new Histogram({
      name: 'parley_redis_ping_seconds',
      help: 'Round-trip time of a Redis PING, probed periodically',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.redisUp = new Gauge({
      name: 'parley_redis_up',
      help: '1 when every Redis connection of this node is up, 0 when not, absent without Redis',
      registers,
    });
  }

  /** Where the connection gauge reads its values at scrape time. */
  countConnectionsWith(source: () => ConnectionCount[]): void {
    this.connectionSource = source;
  }
}
