import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp, listen } from './app.factory';
import { GracefulShutdown } from './cluster/graceful-shutdown';
import { ConfigError, loadConfig, type AppConfig } from './config/config';
import { startDemoSite } from './web/demo-site';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const { app, bootstrap } = await createApp(config);
  const port = await listen(app, config.PORT, config.HOST);
  const logger = new Logger('Parley');
  process.on('unhandledRejection', (reason) => {
    logger.error(
      `Unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
    );
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: shutting down gracefully`);
    const force = setTimeout(() => {
      logger.error('Shutdown took too long; exiting now');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 5_000);
    force.unref();
    app
      .get(GracefulShutdown)
      .drain(app.getHttpServer())
      .then(() => app.close())
      .then(
        () => {
          logger.log('Stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error(`Shutdown failed: ${String(error)}`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${port}`;
  const lines = [
    `Parley is running (node ${config.NODE_ID}) on ${publicUrl}`,
    `  Console:        ${publicUrl}/`,
  ];
  if (config.PARLEY_DEMO_PORT !== undefined) {
    const demo = await startDemoSite(config.PARLEY_DEMO_PORT, publicUrl, bootstrap.site.publicKey);
    lines.push(`  Demo customer page: ${demo.url}`);
    app.getHttpServer().once('close', () => {
      demo.close();
    });
  }
  lines.push(
    `  Widget snippet: <script async src="${publicUrl}/widget.js" data-site-key="${bootstrap.site.publicKey}"></script>`,
  );
  if (bootstrap.generatedAdmin) {
    lines.push(
      `  Admin sign-in:  ${bootstrap.generatedAdmin.email} / ${bootstrap.generatedAdmin.password}`,
      '                  (generated now and shown only once; change it after signing in)',
    );
  } else if (bootstrap.createdAdminEmail) {
    lines.push(`  Admin sign-in:  ${bootstrap.createdAdminEmail} (password from ADMIN_PASSWORD)`);
  }
  for (const line of lines) logger.log(line);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
