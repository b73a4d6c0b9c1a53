import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { SettingsModule } from '../settings/settings.module';
import { FrameController } from './frame.controller';
import { SitesController } from './sites.controller';
import { SitesService } from './sites.service';
import { WidgetConfigController } from './widget-config.controller';

@Module({
  imports: [AuthModule, SettingsModule],
  controllers: [WidgetConfigController, SitesController, FrameController],
  providers: [SitesService],
  exports: [SitesService],
})
export class SitesModule {}
