import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { SitesModule } from '../sites/sites.module';
import { PresenceController, SiteAvailabilityController } from './presence.controller';

/** Presence and availability routes; PresenceService itself is global (PublisherModule). */
@Module({
  imports: [AuthModule, SitesModule],
  controllers: [PresenceController, SiteAvailabilityController],
})
export class PresenceModule {}
