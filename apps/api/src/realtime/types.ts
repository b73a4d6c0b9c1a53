import type {
  AgentClientToServerEvents,
  AgentServerToClientEvents,
  AgentSocketData,
  InterServerEvents,
  WidgetClientToServerEvents,
  WidgetServerToClientEvents,
  WidgetSocketData,
} from '@parley/protocol';
import type { Namespace, Socket } from 'socket.io';

export type WidgetNamespace = Namespace<
  WidgetClientToServerEvents,
  WidgetServerToClientEvents,
  InterServerEvents,
  WidgetSocketData
>;
export type WidgetSocket = Socket<
  WidgetClientToServerEvents,
  WidgetServerToClientEvents,
  InterServerEvents,
  WidgetSocketData
>;
export type AgentNamespace = Namespace<
  AgentClientToServerEvents,
  AgentServerToClientEvents,
  InterServerEvents,
  AgentSocketData
>;
export type AgentSocket = Socket<
  AgentClientToServerEvents,
  AgentServerToClientEvents,
  InterServerEvents,
  AgentSocketData
>;
