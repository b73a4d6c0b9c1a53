import { Events, Limits, type VisitorSession } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../testing/databases';
import { emitAck, startTestApp, type TestApp } from '../testing/test-app';

describe.each(ENGINES)('custom visitor attributes on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(engine);
  });

  afterAll(async () => {
    await t.close();
  });

  const stored = async (visitorId: string) =>
    (await t.prisma.visitor.findUniqueOrThrow({ where: { id: visitorId } })).attributes;

  it('merges attributes into what the visitor has, and null removes one', async () => {
    const { socket, session } = await t.connectWidget();
    expect(await stored(session.visitorId)).toEqual({});

    const first = await emitAck<VisitorSession>(socket, Events.VisitorUpdate, {
      attributes: { plan: 'pro', seats: 3, trial: false },
    });
    expect(first).toMatchObject({ ok: true });
    expect(await stored(session.visitorId)).toEqual({ plan: 'pro', seats: 3, trial: false });

    const second = await emitAck<VisitorSession>(socket, Events.VisitorUpdate, {
      attributes: { seats: 5, trial: null, 'company.size': 'large' },
      pageUrl: 'https://shop.example/account',
    });
    expect(second.ok).toBe(true);
    expect(await stored(session.visitorId)).toEqual({
      plan: 'pro',
      seats: 5,
      'company.size': 'large',
    });
    const visitor = await t.prisma.visitor.findUniqueOrThrow({ where: { id: session.visitorId } });
    expect(visitor.pageUrl).toBe('https://shop.example/account');
    socket.disconnect();
  });

  it('refuses bad names, values and sizes with a clear error and changes nothing', async () => {
    const { socket, session } = await t.connectWidget();
    await emitAck(socket, Events.VisitorUpdate, { attributes: { plan: 'basic' } });

    const tooMany = Object.fromEntries(
      Array.from({ length: Limits.visitorAttributesMax + 1 }, (_, i) => [`a${i}`, i]),
    );
    const refusals: [unknown, RegExp][] = [
      [{ '1st': 'x' }, /attribute names are 1 to 64 letters/],
      [{ 'has space': 'x' }, /attribute names/],
      [{ plan: { nested: true } }, /attributes/],
      [{ plan: 'x'.repeat(Limits.visitorAttributeValueMax + 1) }, /attributes/],
      [tooMany, new RegExp(`at most ${Limits.visitorAttributesMax} attributes`)],
      ['plan=pro', /attributes/],
    ];
    for (const [attributes, message] of refusals) {
      const ack = await emitAck(socket, Events.VisitorUpdate, { attributes });
      expect(ack.ok).toBe(false);
      if (ack.ok) continue;
      expect(ack.error.code).toBe('VALIDATION_FAILED');
      expect(ack.error.message).toMatch(message);
    }

    // Within the limit on each call, over it in all: refused, nothing written.
    const half = (from: number) =>
      Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${from + i}`, 'v']));
    expect((await emitAck(socket, Events.VisitorUpdate, { attributes: half(0) })).ok).toBe(true);
    const over = await emitAck(socket, Events.VisitorUpdate, { attributes: half(30) });
    expect(over.ok).toBe(false);
    if (!over.ok) {
      expect(over.error.message).toMatch(
        `A visitor holds at most ${Limits.visitorAttributesMax} attributes`,
      );
    }
    expect(Object.keys((await stored(session.visitorId)) as object)).toHaveLength(31);
    expect(socket.connected).toBe(true);
    socket.disconnect();
  });
});
