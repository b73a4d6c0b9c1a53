import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { SettingsModule } from '../settings/settings.module';
import { SitesModule } from '../sites/sites.module';
import { AgentGateway } from './agent.gateway';
import { ConnectionRegistry } from './connection-registry';
import { RealtimeController } from './realtime.controller';
import { TransportPolicy } from './transport-policy';
import { WidgetGateway } from './widget.gateway';

@Module({
  imports: [AuthModule, ConversationsModule, SitesModule, SettingsModule],
  controllers: [RealtimeController],
  providers: [WidgetGateway, AgentGateway, ConnectionRegistry, TransportPolicy],
  exports: [ConnectionRegistry, TransportPolicy],
})
export class RealtimeModule {}
