import type {
  AgentClientContract,
  ContractHandlers,
  SendMessageResult,
  VisitorSendMessage,
  WidgetClientContract,
} from '@parley/protocol';
import { describe, expectTypeOf, it } from 'vitest';
import type { AgentContext, AgentGateway } from './agent.gateway';
import type { VisitorContext, WidgetGateway } from './widget.gateway';

describe('gateway handlers match the wire contract', () => {
  it('implements every widget event with the contract payload and ack data', () => {
    expectTypeOf<WidgetGateway['handlers']>().toExtend<
      ContractHandlers<WidgetClientContract, VisitorContext>
    >();
    expectTypeOf<
      Parameters<WidgetGateway['handlers']['message:send']>[0]
    >().toEqualTypeOf<VisitorSendMessage>();
    expectTypeOf<ReturnType<WidgetGateway['handlers']['message:send']>>().toEqualTypeOf<
      Promise<SendMessageResult>
    >();
  });

  it('implements every agent event', () => {
    expectTypeOf<AgentGateway['handlers']>().toExtend<
      ContractHandlers<AgentClientContract, AgentContext>
    >();
  });

  it('rejects a handler whose payload disagrees with the contract', () => {
    type Wrong = {
      'message:send': (
        payload: { text: string },
        ctx: VisitorContext,
      ) => Promise<SendMessageResult>;
    };
    expectTypeOf<Wrong>().not.toExtend<
      Pick<ContractHandlers<WidgetClientContract, VisitorContext>, 'message:send'>
    >();
  });
});
