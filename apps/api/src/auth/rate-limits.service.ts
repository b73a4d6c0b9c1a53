import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ApiException } from '../common/api-error';
import { describeWait, type RateLimitSpec } from '../common/rate-limit-spec';
import { RateLimiter } from '../common/rate-limiter';
import { LoginThrottle } from './login-throttle';

const SWEEP_INTERVAL_MS = 60_000;

function limiter(spec: RateLimitSpec | null): RateLimiter | null {
  return spec ? new RateLimiter(spec.limit, spec.windowMs) : null;
}

/**
 * Every abuse limit of one node, configured from the environment (`LIMIT_*`). Each refusal is an
 * `ApiException` with code `RATE_LIMITED`, a sentence saying how long to wait, and
 * `retryAfterMs`; callers turn it into an HTTP 429, a failed ack or a refused handshake.
 */
@Injectable()
export class RateLimits implements OnModuleDestroy {
  private readonly connectionsPerIp: RateLimiter | null;
  private readonly messagesPerSocket: RateLimiter | null;
  private readonly conversationsPerIp: RateLimiter | null;
  readonly loginFailuresPerAccount: LoginThrottle;
  readonly loginFailuresPerIp: LoginThrottle;
  private readonly sweeper: NodeJS.Timeout;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.connectionsPerIp = limiter(config.LIMIT_CONNECTIONS_PER_IP);
    this.messagesPerSocket = limiter(config.LIMIT_MESSAGES_PER_VISITOR_SOCKET);
    this.conversationsPerIp = limiter(config.LIMIT_CONVERSATIONS_PER_IP);
    this.loginFailuresPerAccount = new LoginThrottle(config.LIMIT_LOGIN_FAILURES_PER_ACCOUNT);
    this.loginFailuresPerIp = new LoginThrottle(config.LIMIT_LOGIN_FAILURES_PER_IP);
    this.sweeper = setInterval(() => {
      this.sweep();
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  /** Counts a new socket.io connection from `ip`; throws when there were too many. */
  connection(ip: string): void {
    const wait = this.connectionsPerIp?.hit(ip) ?? 0;
    if (wait > 0) {
      throw ApiException.rateLimited(
        `Too many new connections from your network. Try again in ${describeWait(wait)}.`,
        wait,
      );
    }
  }

  /** Counts a message sent on one visitor socket; throws when it was sending too fast. */
  message(socketId: string): void {
    const wait = this.messagesPerSocket?.hit(socketId) ?? 0;
    if (wait > 0) {
      throw ApiException.rateLimited(
        `You are sending messages too quickly. Wait ${describeWait(wait)} and try again.`,
        wait,
      );
    }
  }

  /** Forgets a closed socket's message count. */
  socketClosed(socketId: string): void {
    this.messagesPerSocket?.reset(socketId);
  }

  /** Throws when `ip` may not start another conversation now (nothing is counted). */
  assertMayStartConversation(ip: string): void {
    const wait = this.conversationsPerIp?.retryAfter(ip) ?? 0;
    if (wait > 0) {
      throw ApiException.rateLimited(
        `Too many new conversations from your network. Try again in ${describeWait(wait)}.`,
        wait,
      );
    }
  }

  /** Counts a conversation started from `ip`. */
  conversationStarted(ip: string): void {
    this.conversationsPerIp?.hit(ip);
  }

  sweep(): void {
    this.connectionsPerIp?.sweep();
    this.messagesPerSocket?.sweep();
    this.conversationsPerIp?.sweep();
    this.loginFailuresPerAccount.sweep();
    this.loginFailuresPerIp.sweep();
  }
}
