import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config';
import { createLogger, ROOT_LOGGER } from './logger';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { SocketInstrumentation } from './socket-instrumentation';

/** Structured logs and Prometheus metrics, available everywhere. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    { provide: ROOT_LOGGER, inject: [APP_CONFIG], useFactory: createLogger },
    MetricsService,
    SocketInstrumentation,
  ],
  exports: [ROOT_LOGGER, MetricsService, SocketInstrumentation],
})
export class ObservabilityModule {}
