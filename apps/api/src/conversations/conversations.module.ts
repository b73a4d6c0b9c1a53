import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { AuthModule } from '../auth/auth.module';
import { MessagesService } from '../messages/messages.service';
import { VisitorsModule } from '../visitors/visitors.module';
import { AssignmentController } from './assignment.controller';
import { AutoAssignment } from './auto-assignment';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';
import { SnoozeScheduler } from './snooze-scheduler';

@Module({
  imports: [AuthModule, VisitorsModule, AttachmentsModule],
  controllers: [ConversationsController, AssignmentController],
  providers: [ConversationsService, MessagesService, SnoozeScheduler, AutoAssignment],
  exports: [
    ConversationsService,
    MessagesService,
    AutoAssignment,
    VisitorsModule,
    AttachmentsModule,
  ],
})
export class ConversationsModule {}
