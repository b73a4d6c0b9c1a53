import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, APP_OPTIONS, type AppConfig, type AppOptions } from '../config/config';
import { createLogger, ROOT_LOGGER } from './logger';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { SocketInstrumentation } from './socket-instrumentation';

/** Structured logs and Prometheus metrics, available everywhere. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: ROOT_LOGGER,
      inject: [APP_CONFIG, APP_OPTIONS],
      useFactory: (config: AppConfig, options: AppOptions) =>
        createLogger(config, options.logDestination),
    },
    MetricsService,
    SocketInstrumentation,
  ],
  exports: [ROOT_LOGGER, MetricsService, SocketInstrumentation],
})
export class ObservabilityModule {}
