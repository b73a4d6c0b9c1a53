import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
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
  await app.listen(config.PORT, config.HOST);
  const logger = new Logger('Parley');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
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
  console.error(error);
  process.exit(1);
});
