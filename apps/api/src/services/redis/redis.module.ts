import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { RedisService } from './redis.service';

/** Redis, connected before the server listens (or absent when REDIS_URL is unset). */
@Global()
@Module({
  providers: [
    {
      provide: RedisService,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => RedisService.connect(config),
    },
  ],
  exports: [RedisService],
})
export class RedisModule {}
