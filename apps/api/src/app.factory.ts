import type { NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Limits } from '@parley/protocol';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { toApiError } from './common/api-error';
import { compileTrustedProxies } from './common/client-address';
import { HttpExceptionFilter } from './common/http-exception.filter';
import type { AppConfig, AppOptions } from './config/config';
import { GracefulShutdown } from './cluster/graceful-shutdown';
import { NodeRegistry } from './cluster/node-registry';
import { SessionForwarder } from './cluster/session-forwarder';
import { NestPinoLogger, ROOT_LOGGER } from './observability/logger';
import { SocketInstrumentation } from './observability/socket-instrumentation';
import { ConnectionRegistry } from './realtime/connection-registry';
import { ParleyIoAdapter } from './realtime/parley-io.adapter';
import { TransportPolicy } from './realtime/transport-policy';
import { RedisService } from './services/redis/redis.service';
import { SettingsSync } from './settings/settings-sync';
import { SitesService, type BootstrapResult } from './sites/sites.service';
import { staticRouter } from './web/static';

export interface CreatedApp {
  app: NestExpressApplication;
  bootstrap: BootstrapResult;
}

/** Builds the whole API (REST, socket.io, static hosting) without listening; tests and main use it. */
export async function createApp(
  config: AppConfig,
  appOptions: AppOptions = {},
): Promise<CreatedApp> {
  // Nest declares its options as a class but only ever reads them as a plain object.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
  const options: NestApplicationOptions = {
    bodyParser: false,
    // Throw start-up errors to the caller (main prints them; tests report them) instead of aborting.
    abortOnError: false,
    // Held until the structured logger below takes over, so that start-up logs share its format.
    bufferLogs: true,
    logger: config.LOG_LEVEL === 'silent' ? false : nestLogLevels(config.LOG_LEVEL),
  };
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register(config, appOptions),
    options,
  );
  app.disable('x-powered-by');
  // req.ip and req.secure believe X-Forwarded-* only from the configured proxies.
  app.set('trust proxy', compileTrustedProxies(config.TRUSTED_PROXIES));
  app.use(express.json({ limit: Limits.restBodyMaxBytes }));
  app.use(express.text({ type: 'text/plain', limit: 8 * 1024 }));
  // Body-parser errors (bad JSON, too large) as protocol errors, not Express's HTML page.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const { status, error: body } = toApiError(error);
    res.status(status).json({ error: body });
  });
  app.use(staticRouter(config));
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useLogger(new NestPinoLogger(app.get<Logger>(ROOT_LOGGER)));
  app.useWebSocketAdapter(
    new ParleyIoAdapter(app, config, app.get(RedisService), (server) => {
      app.get(TransportPolicy).attach(server);
      app.get(SocketInstrumentation).attach(server);
      app.get(SettingsSync).attach(server);
      app.get(GracefulShutdown).attach(server);
      app.get(ConnectionRegistry).attach(server);
      // Last, so that it sees every request before engine.io and Express do.
      app.get(SessionForwarder).install(app.getHttpServer());
    }),
  );
  await app.init();
  const bootstrap = await app.get(SitesService).bootstrap();
  return { app, bootstrap };
}

function nestLogLevels(level: AppConfig['LOG_LEVEL']) {
  const order = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
  const cut = { fatal: 1, error: 2, warn: 3, info: 4, debug: 5, trace: 6, silent: 0 }[level];
  return order.slice(0, cut);
}

/** How long an idle keep-alive connection stays open (see `listen`). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Listens, then announces the node to the others (its address is known only now); returns the port. */
export async function listen(
  app: NestExpressApplication,
  port: number,
  host: string,
): Promise<number> {
  const server = app.getHttpServer();
  // Node closes an idle keep-alive connection after 5 s by default. A client (a browser, a load
  // balancer, another node forwarding a poll) that sends its next request on such a connection
  // just as it closes gets "socket hang up": a failed poll, a 502, a lost transport. Idle
  // connections stay open longer than the usual balancer idle timeout (60 s) instead, so that it
  // is always the client that closes them.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  const actual = typeof address === 'object' && address ? address.port : port;
  await app.get(NodeRegistry).join(actual);
  return actual;
}
