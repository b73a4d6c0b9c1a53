import { describe, expect, it } from 'vitest';
import { missingPreChatFields, preChatAsks } from './pre-chat-rules';
import { RateConversationSchema } from './satisfaction';
import { Typing, TypingNotifier } from './typing-notifier';

describe('TypingNotifier', () => {
  const setup = () => {
    let now = 0;
    const sent: boolean[] = [];
    const timers = new Map<number, { at: number; fn: () => void }>();
    let nextTimer = 1;
    const notifier = new TypingNotifier({
      send: (typing) => sent.push(typing),
      now: () => now,
      setTimer: (fn, ms) => {
        const id = nextTimer++;
        timers.set(id, { at: now + ms, fn });
        return id;
      },
      clearTimer: (id) => timers.delete(id as number),
    });
    const advance = (ms: number) => {
      now += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at <= now) {
          timers.delete(id);
          timer.fn();
        }
      }
    };
    return { notifier, sent, advance };
  };

  it('says "typing" at once, then at most once per throttle period while keys keep coming', () => {
    const { notifier, sent, advance } = setup();
    notifier.input();
    expect(sent).toEqual([true]);
    for (let i = 0; i < 10; i++) {
      advance(150);
      notifier.input();
    }
    expect(sent).toEqual([true]);
    advance(Typing.throttleMs);
    notifier.input();
    expect(sent).toEqual([true, true]);
  });

  it('says "stopped" once after a pause', () => {
    const { notifier, sent, advance } = setup();
    notifier.input();
    advance(Typing.idleMs - 1);
    expect(sent).toEqual([true]);
    advance(1);
    expect(sent).toEqual([true, false]);
    advance(Typing.idleMs * 2);
    expect(sent).toEqual([true, false]);
  });

  it('says "stopped" on send, and nothing more when the pause timer would have fired', () => {
    const { notifier, sent, advance } = setup();
    notifier.input();
    notifier.stop();
    advance(Typing.idleMs);
    notifier.stop();
    expect(sent).toEqual([true, false]);
  });
});

describe('pre-chat form', () => {
  it('lists the required fields a visitor has not given', () => {
    expect(
      missingPreChatFields({ name: 'required', email: 'optional' }, { name: null, email: null }),
    ).toEqual(['name']);
    expect(
      missingPreChatFields({ name: 'required', email: 'required' }, { name: ' ', email: 'a@b.c' }),
    ).toEqual(['name']);
    expect(
      missingPreChatFields({ name: 'off', email: 'required' }, { name: null, email: 'a@b.c' }),
    ).toEqual([]);
  });

  it('asks only when a field is on and still empty', () => {
    expect(preChatAsks({ name: 'off', email: 'off' }, { name: null, email: null })).toBe(false);
    expect(preChatAsks({ name: 'optional', email: 'off' }, { name: null, email: null })).toBe(true);
    expect(preChatAsks({ name: 'optional', email: 'off' }, { name: 'Ada', email: null })).toBe(
      false,
    );
  });
});

describe('rating', () => {
  it('takes whole numbers 1 to 5 and a bounded comment', () => {
    const base = { conversationId: 'c1' };
    expect(RateConversationSchema.safeParse({ ...base, rating: 5 }).success).toBe(true);
    for (const rating of [0, 6, 2.5, '3']) {
      expect(RateConversationSchema.safeParse({ ...base, rating }).success).toBe(false);
    }
    expect(
      RateConversationSchema.safeParse({ ...base, rating: 3, comment: 'x'.repeat(1001) }).success,
    ).toBe(false);
  });
});
