import { Global, Module } from '@nestjs/common';
import { PresenceService } from '../presence/presence.service';
import { RealtimePublisher } from './realtime.publisher';

/**
 * The publisher is global: services publish committed changes without depending on gateways.
 * So is presence, which asks the same namespaces who is connected.
 */
@Global()
@Module({
  providers: [RealtimePublisher, PresenceService],
  exports: [RealtimePublisher, PresenceService],
})
export class PublisherModule {}
