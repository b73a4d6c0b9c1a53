import { describe, expectTypeOf, it } from 'vitest';
import type { Ack } from './ack';
import type {
  AgentClientContract,
  AgentClientToServerEvents,
  ContractHandlers,
  WidgetClientToServerEvents,
} from './events';
import type {
  AgentSendMessage,
  SendMessageResult,
  SyncResult,
  VisitorSendMessage,
} from './message';

describe('event maps', () => {
  it('gives every client-to-server event a payload and a typed ack', () => {
    expectTypeOf<
      Parameters<WidgetClientToServerEvents['message:send']>[0]
    >().toEqualTypeOf<VisitorSendMessage>();
    expectTypeOf<
      Parameters<AgentClientToServerEvents['message:send']>[0]
    >().toEqualTypeOf<AgentSendMessage>();
    expectTypeOf<
      Parameters<Parameters<AgentClientToServerEvents['message:send']>[1]>[0]
    >().toEqualTypeOf<Ack<SendMessageResult>>();
  });

  it('derives server handlers from the contract', () => {
    type Handlers = ContractHandlers<AgentClientContract, { agentId: string }>;
    expectTypeOf<Handlers['conversation:sync']>().returns.toEqualTypeOf<Promise<SyncResult>>();
    // A handler that takes the wrong payload does not satisfy the contract.
    expectTypeOf<
      (p: { conversationId: number }, ctx: { agentId: string }) => Promise<SyncResult>
    >().not.toExtend<Handlers['conversation:sync']>();
  });
});
