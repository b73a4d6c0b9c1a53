import { z } from 'zod';

/**
 * The real-time transport policy chosen by an admin.
 * - `auto`: long-polling first, then upgrade to WebSocket when the path allows it.
 * - `polling`: long-polling only (load balancers and proxies that block the Upgrade).
 * - `websocket`: WebSocket only (load balancers that pass the Upgrade but are not sticky).
 */
export const TransportModeSchema = z.enum(['auto', 'polling', 'websocket']);
export type TransportMode = z.infer<typeof TransportModeSchema>;

/** socket.io client options derived from the mode and the tunables. */
export const ClientTransportConfigSchema = z.object({
  mode: TransportModeSchema,
  /** `transports` to pass to the socket.io client, in order. */
  transports: z.array(z.enum(['polling', 'websocket'])).min(1),
  /** Whether the client may upgrade from polling to WebSocket. */
  upgrade: z.boolean(),
  reconnectionDelayMs: z.number().int().positive(),
  reconnectionDelayMaxMs: z.number().int().positive(),
});
export type ClientTransportConfig = z.infer<typeof ClientTransportConfigSchema>;

/** The socket.io client options for a mode (also used by clients before any config arrives). */
export function transportsFor(
  mode: TransportMode,
): Pick<ClientTransportConfig, 'transports' | 'upgrade'> {
  switch (mode) {
    case 'polling':
      return { transports: ['polling'], upgrade: false };
    case 'websocket':
      return { transports: ['websocket'], upgrade: false };
    case 'auto':
      return { transports: ['polling', 'websocket'], upgrade: true };
  }
}
