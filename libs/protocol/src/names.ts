/** Socket.io namespaces on the one Parley server. */
export const Namespace = { Widget: '/widget', Agent: '/agent' } as const;

/** Every event name on the wire, `domain:verb`. */
export const Events = {
  MessageSend: 'message:send',
  MessageNew: 'message:new',
  ConversationSync: 'conversation:sync',
  ConversationList: 'conversation:list',
  ConversationUpdated: 'conversation:updated',
  ConversationUpdate: 'conversation:update',
  VisitorUpdate: 'visitor:update',
  SessionReady: 'session:ready',
  TransportChanged: 'transport:changed',
  AgentPresence: 'agent:presence',
  VisitorPresence: 'visitor:presence',
  AvailabilityChanged: 'availability:changed',
  TypingSet: 'typing:set',
  TypingUpdated: 'typing:updated',
  ReadMark: 'read:mark',
  ReadUpdated: 'read:updated',
  ConversationRate: 'conversation:rate',
  WidgetUpdated: 'widget:updated',
  VisitorUpdated: 'visitor:updated',
  SyncRequired: 'sync:required',
} as const;
