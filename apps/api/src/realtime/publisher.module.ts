import { Global, Module } from '@nestjs/common';
import { RealtimePublisher } from './realtime.publisher';

/** The publisher is global: services publish committed changes without depending on gateways. */
@Global()
@Module({ providers: [RealtimePublisher], exports: [RealtimePublisher] })
export class PublisherModule {}
