import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ApiException } from '../common/api-error';
import { describeWait, type RateLimitSpec } from '../common/rate-limit-spec';
import { RateLimiter } from '../common/rate-limiter';
import { RedisService } from '../services/redis/redis.service';
import {
  failureCounter,
  windowCounter,
  type FailureCounter,
  type WindowCounter,
} from './shared-counters';

const SWEEP_INTERVAL_MS = 60_000;

/** Refuses with RATE_LIMITED while `wait` (ms) is positive; `say` words it with the wait. */
function refuseIfWaiting(wait: number, say: (time: string) => string): void {
  if (wait > 0) throw ApiException.rateLimited(say(describeWait(wait)), wait);
}

function limiter(spec: RateLimitSpec | null): RateLimiter | null {
  return spec ? new RateLimiter(spec.limit, spec.windowMs) : null;
}

/**
 * Every abuse limit, configured from the environment (`LIMIT_*`). With Redis, the limits per
 * client IP and per account count across every node (a balancer spreading an attacker's
 * requests does not multiply them); messages per socket count where the socket lives. Each refusal is an
 * `ApiException` with code `RATE_LIMITED`, a sentence saying how long to wait, and
 * `retryAfterMs`; callers turn it into an HTTP 429, a failed ack or a refused handshake.
 */
@Injectable()
export class RateLimits implements OnModuleDestroy {
  private readonly connectionsPerIp: WindowCounter | null;
  private readonly messagesPerSocket: RateLimiter | null;
  private readonly conversationsPerIp: WindowCounter | null;
  private readonly uploadsPerIp: WindowCounter | null;
  readonly loginFailuresPerAccount: FailureCounter;
  readonly loginFailuresPerIp: FailureCounter;
  private readonly sweeper: NodeJS.Timeout;

  constructor(@Inject(APP_CONFIG) config: AppConfig, redis: RedisService) {
    this.connectionsPerIp = windowCounter(redis, 'connections', config.LIMIT_CONNECTIONS_PER_IP);
    this.messagesPerSocket = limiter(config.LIMIT_MESSAGES_PER_VISITOR_SOCKET);
    this.conversationsPerIp = windowCounter(
      redis,
      'conversations',
      config.LIMIT_CONVERSATIONS_PER_IP,
    );
    this.uploadsPerIp = windowCounter(redis, 'uploads', config.LIMIT_UPLOADS_PER_IP);
    this.loginFailuresPerAccount = failureCounter(
      redis,
      'login-account',
      config.LIMIT_LOGIN_FAILURES_PER_ACCOUNT,
    );
    this.loginFailuresPerIp = failureCounter(redis, 'login-ip', config.LIMIT_LOGIN_FAILURES_PER_IP);
    this.sweeper = setInterval(() => {
      this.sweep();
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  /** Counts a new socket.io connection from `ip`; throws when there were too many. */
  async connection(ip: string): Promise<void> {
    const wait = (await this.connectionsPerIp?.hit(ip)) ?? 0;
    refuseIfWaiting(
      wait,
      (time) => `Too many new connections from your network. Try again in ${time}.`,
    );
  }

  /** Counts a message sent on one visitor socket; throws when it was sending too fast. */
  message(socketId: string): void {
    const wait = this.messagesPerSocket?.hit(socketId) ?? 0;
    refuseIfWaiting(
      wait,
      (time) => `You are sending messages too quickly. Wait ${time} and try again.`,
    );
  }

  /** Forgets a closed socket's message count. */
  socketClosed(socketId: string): void {
    this.messagesPerSocket?.reset(socketId);
  }

  /** Throws when `ip` may not start another conversation now (nothing is counted). */
  async assertMayStartConversation(ip: string): Promise<void> {
    const wait = (await this.conversationsPerIp?.retryAfter(ip)) ?? 0;
    refuseIfWaiting(
      wait,
      (time) => `Too many new conversations from your network. Try again in ${time}.`,
    );
  }

  /** Counts a conversation started from `ip`. */
  async conversationStarted(ip: string): Promise<void> {
    await this.conversationsPerIp?.hit(ip);
  }

  /** Counts a file a visitor uploads from `ip`; throws when there were too many. */
  async upload(ip: string): Promise<void> {
    const wait = (await this.uploadsPerIp?.hit(ip)) ?? 0;
    refuseIfWaiting(wait, (time) => `Too many files sent from your network. Try again in ${time}.`);
  }

  sweep(): void {
    this.connectionsPerIp?.sweep();
    this.uploadsPerIp?.sweep();
    this.messagesPerSocket?.sweep();
    this.conversationsPerIp?.sweep();
    this.loginFailuresPerAccount.sweep();
    this.loginFailuresPerIp.sweep();
  }
}
