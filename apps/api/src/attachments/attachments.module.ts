import { Module } from '@nestjs/common';
import { resolve } from 'node:path';
import { AuthModule } from '../auth/auth.module';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ATTACHMENT_STORAGE, LocalDiskStorage } from './attachment-storage';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';
import { UnsentAttachmentsSweeper } from './unsent-sweeper';

/** The folder attachment bytes go to: `ATTACHMENTS_DIR`, else `attachments` in the data folder. */
export function attachmentsDir(config: AppConfig): string {
  return resolve(config.ATTACHMENTS_DIR ?? resolve(config.PARLEY_DATA_DIR, 'attachments'));
}

@Module({
  imports: [AuthModule],
  controllers: [AttachmentsController],
  providers: [
    AttachmentsService,
    UnsentAttachmentsSweeper,
    {
      provide: ATTACHMENT_STORAGE,
      useFactory: (config: AppConfig) => new LocalDiskStorage(attachmentsDir(config)),
      inject: [APP_CONFIG],
    },
  ],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
