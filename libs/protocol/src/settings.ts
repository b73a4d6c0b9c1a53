import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';
import { TransportModeSchema } from './transport';

/** One entry of the transport audit trail: who switched from what to what, when. */
export const TransportChangeSchema = z.object({
  id: IdSchema,
  from: TransportModeSchema.nullable(),
  to: TransportModeSchema,
  changedBy: z.object({ id: IdSchema, name: z.string(), email: z.string() }).nullable(),
  changedAt: TimestampSchema,
});
export type TransportChange = z.infer<typeof TransportChangeSchema>;

/** Server-side tunables that shape the connection (read-only in the console). */
export const TransportTunablesSchema = z.object({
  pingIntervalMs: z.number().int().positive(),
  pingTimeoutMs: z.number().int().positive(),
  maxHttpBufferSize: z.number().int().positive(),
  reconnectionDelayMs: z.number().int().positive(),
  reconnectionDelayMaxMs: z.number().int().positive(),
  /** The load balancer idle timeout the heartbeat must stay under. */
  loadBalancerIdleTimeoutMs: z.number().int().positive(),
});
export type TransportTunables = z.infer<typeof TransportTunablesSchema>;

/** `GET /api/settings/transport` and `PUT /api/settings/transport` response. */
export const TransportSettingsSchema = z.object({
  mode: TransportModeSchema,
  tunables: TransportTunablesSchema,
  changes: z.array(TransportChangeSchema),
});
export type TransportSettings = z.infer<typeof TransportSettingsSchema>;

/** `PUT /api/settings/transport` body (ADMIN only). */
export const UpdateTransportRequestSchema = z.object({ mode: TransportModeSchema }).strict();
export type UpdateTransportRequest = z.infer<typeof UpdateTransportRequestSchema>;

/** A live connection, for `GET /api/realtime/connections`. */
export const ConnectionInfoSchema = z.object({
  id: z.string(),
  namespace: z.enum(['/widget', '/agent']),
  /** Visitor id or agent id. */
  principalId: z.string(),
  principalLabel: z.string(),
  transport: z.enum(['polling', 'websocket']),
  node: z.string(),
  connectedAt: TimestampSchema,
  lastActivityAt: TimestampSchema,
});
export type ConnectionInfo = z.infer<typeof ConnectionInfoSchema>;

/** A failed handshake or upgrade reported by a client. */
export const ConnectionFailureReportSchema = z
  .object({
    client: z.enum(['widget', 'console']),
    transport: z.enum(['polling', 'websocket']),
    /** What failed: the first connection or an upgrade from polling. */
    phase: z.enum(['handshake', 'upgrade']),
    reason: z.string().min(1).max(300),
    statusCode: z.number().int().min(0).max(999).nullable(),
  })
  .strict();
export type ConnectionFailureReport = z.infer<typeof ConnectionFailureReportSchema>;

export const ConnectionFailureSchema = ConnectionFailureReportSchema.extend({
  /** `server` when the server itself refused the request (engine.io `connection_error`). */
  client: z.enum(['widget', 'console', 'server']),
  at: TimestampSchema,
  node: z.string(),
});
export type ConnectionFailure = z.infer<typeof ConnectionFailureSchema>;

/** `GET /api/realtime/connections` response (ADMIN only). */
export const ConnectionsResponseSchema = z.object({
  connections: z.array(ConnectionInfoSchema),
  countsByTransport: z.object({ polling: z.number().int(), websocket: z.number().int() }),
  /** Recent failures, newest first, and their counts by reason. */
  failures: z.array(ConnectionFailureSchema),
  failureCounts: z.array(
    z.object({ reason: z.string(), transport: z.string(), count: z.number().int() }),
  ),
});
export type ConnectionsResponse = z.infer<typeof ConnectionsResponseSchema>;
