import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuthModule } from './auth/auth.module';
import { CannedResponsesModule } from './canned-responses/canned-responses.module';
import { APP_CONFIG, APP_OPTIONS, type AppConfig, type AppOptions } from './config/config';
import { ConversationsModule } from './conversations/conversations.module';
import { ClusterModule } from './cluster/cluster.module';
import { HealthController } from './health/health.controller';
import { HealthProbes } from './health/health-probes';
import { ObservabilityModule } from './observability/observability.module';
import { PresenceModule } from './presence/presence.module';
import { PublisherModule } from './realtime/publisher.module';
import { RealtimeModule } from './realtime/realtime.module';
import { DatabaseModule } from './services/database/database.module';
import { ReportsModule } from './reports/reports.module';
import { SearchModule } from './search/search.module';
import { RedisModule } from './services/redis/redis.module';
import { SettingsModule } from './settings/settings.module';
import { SitesModule } from './sites/sites.module';

@Global()
@Module({})
class ConfigModule {
  static register(config: AppConfig, options: AppOptions): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_OPTIONS, useValue: options },
      ],
      exports: [APP_CONFIG, APP_OPTIONS],
    };
  }
}

@Module({})
export class AppModule {
  static register(config: AppConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(config, options),
        ObservabilityModule,
        RedisModule,
        DatabaseModule,
        ClusterModule,
        PublisherModule,
        AuthModule,
        SettingsModule,
        SitesModule,
        ConversationsModule,
        AttachmentsModule,
        CannedResponsesModule,
        SearchModule,
        ReportsModule,
        RealtimeModule,
        PresenceModule,
      ],
      controllers: [HealthController],
      providers: [HealthProbes],
    };
  }
}
