import { EventEmitter } from 'node:events';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { from, isObservable, mergeMap, of, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../config/config';
import type { RedisService } from '../services/redis/redis.service';
import { ParleyIoAdapter } from './parley-io.adapter';

/** Just what the adapter uses of a socket: listeners, `emit` to the client, `disconnected`. */
class FakeSocket extends EventEmitter {
  disconnected = false;
  readonly sent: unknown[][] = [];

  override emit(event: string, ...args: unknown[]): boolean {
    this.sent.push([event, ...args]);
    return true;
  }

  /** What the client sent: the event and its arguments, an ack last when it wants one. */
  receive(event: string, ...args: unknown[]): void {
    super.emit(event, ...args);
  }
}

/** What Nest's WebSocketsController hands the adapter: any handler result as an Observable. */
const transform = (result: unknown): Observable<unknown> =>
  from(Promise.resolve(result)).pipe(mergeMap((r) => (isObservable(r) ? r : of(r))));

function bind(handlers: Partial<MessageMappingProperties>[]) {
  const adapter = new ParleyIoAdapter(
    undefined as never,
    {} as AppConfig,
    undefined as unknown as RedisService,
    () => undefined,
  );
  const socket = new FakeSocket();
  adapter.bindMessageHandlers(
    socket as never,
    handlers.map((h) => ({
      message: 'x',
      methodName: 'x',
      callback: () => undefined,
      isAckHandledManually: false,
      ...h,
    })) as MessageMappingProperties[],
    transform,
  );
  return socket;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('ParleyIoAdapter.bindMessageHandlers', () => {
  it('leaves one listener per event on the socket and nothing else', () => {
    const socket = bind([{ message: 'a' }, { message: 'b' }]);
    expect(socket.eventNames()).toEqual(['a', 'b']);
    expect(socket.listenerCount('a')).toBe(1);
  });

  it('acks with what the handler resolves to, and passes the payload', async () => {
    const seen: unknown[] = [];
    const socket = bind([
      {
        message: 'a',
        callback: (data: unknown) => {
          seen.push(data);
          return Promise.resolve({ ok: true, data });
        },
      },
    ]);
    const acks: unknown[] = [];
    socket.receive('a', { n: 1 }, (res: unknown) => acks.push(res));
    socket.receive('a', 1, 2, (res: unknown) => acks.push(res));
    await settle();
    expect(seen).toEqual([{ n: 1 }, [1, 2]]);
    expect(acks).toEqual([
      { ok: true, data: { n: 1 } },
      { ok: true, data: [1, 2] },
    ]);
  });

  it('emits `{ event, data }` replies and answers nothing for a nil result', async () => {
    const socket = bind([
      { message: 'a', callback: () => Promise.resolve({ event: 'b', data: 2 }) },
      { message: 'c', callback: () => Promise.resolve(undefined) },
    ]);
    const acks: unknown[] = [];
    socket.receive('a', 1);
    socket.receive('c', 1, (res: unknown) => acks.push(res));
    await settle();
    expect(socket.sent).toEqual([['b', 2]]);
    expect(acks).toEqual([]);
  });

  it('leaves the ack to a handler that answers it itself', async () => {
    const socket = bind([
      { message: 'a', isAckHandledManually: true, callback: () => Promise.resolve({ ok: true }) },
    ]);
    const acks: unknown[] = [];
    socket.receive('a', 1, (res: unknown) => acks.push(res));
    await settle();
    expect(acks).toEqual([]);
  });

  it('answers nothing once the socket has disconnected', async () => {
    let finish: (value: unknown) => void = () => undefined;
    const socket = bind([
      { message: 'a', callback: () => new Promise((resolve) => (finish = resolve)) },
    ]);
    const acks: unknown[] = [];
    socket.receive('a', 1, (res: unknown) => acks.push(res));
    socket.disconnected = true;
    finish({ ok: true });
    await settle();
    expect(acks).toEqual([]);
  });
});
