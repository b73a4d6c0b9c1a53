import { Module } from '@nestjs/common';
import { SettingsModule } from '../settings/settings.module';
import { SitesService } from './sites.service';
import { WidgetConfigController } from './widget-config.controller';

@Module({
  imports: [SettingsModule],
  controllers: [WidgetConfigController],
  providers: [SitesService],
  exports: [SitesService],
})
export class SitesModule {}
