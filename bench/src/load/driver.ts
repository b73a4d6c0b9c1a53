import { resolve } from 'node:path';
import { Child } from '../servers/child';
import type {
  CloseRequest,
  ConnectRequest,
  ConnectResult,
  LoadRequest,
  LoadResult,
  OpenRequest,
  OpenResult,
  StatsResult,
} from './messages';

const GENERATOR = resolve(__dirname, 'generator.js');

/** The runner's side of one generator process. */
export class Generator {
  private readonly child = new Child({ name: 'load generator', script: GENERATOR });

  async connect(req: Omit<ConnectRequest, 'type'>, timeoutMs: number): Promise<ConnectResult> {
    return this.ask<ConnectResult>({ type: 'connect', ...req }, timeoutMs);
  }

  async open(req: Omit<OpenRequest, 'type'>, timeoutMs: number): Promise<OpenResult> {
    return this.ask<OpenResult>({ type: 'open', ...req }, timeoutMs);
  }

  async load(req: Omit<LoadRequest, 'type'>): Promise<LoadResult> {
    return this.ask<LoadResult>(
      { type: 'load', ...req },
      req.durationMs + req.drainMs + req.ackTimeoutMs + 30_000,
    );
  }

  async stats(): Promise<StatsResult> {
    return this.ask<StatsResult>({ type: 'stats' }, 10_000);
  }

  cpuSeconds(): number {
    return this.child.cpuSeconds();
  }

  /** Disconnects every client and ends the process. */
  async close(): Promise<void> {
    try {
      await this.ask({ type: 'close' } satisfies CloseRequest, 10_000);
    } catch {
      // already gone
    }
    await this.child.stop(2_000);
  }

  private async ask<T>(message: object, timeoutMs: number): Promise<T> {
    const reply = await this.child.request<T | { type: 'error'; message: string }>(
      message,
      timeoutMs,
    );
    if ((reply as { type: string }).type === 'error') {
      throw new Error(`load generator: ${(reply as { message: string }).message}`);
    }
    return reply as T;
  }
}
