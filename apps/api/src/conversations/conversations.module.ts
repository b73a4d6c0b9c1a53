import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MessagesService } from '../messages/messages.service';
import { VisitorsModule } from '../visitors/visitors.module';
import { AssignmentController } from './assignment.controller';
import { AutoAssignment } from './auto-assignment';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';
import { SnoozeScheduler } from './snooze-scheduler';

@Module({
  imports: [AuthModule, VisitorsModule],
  controllers: [ConversationsController, AssignmentController],
  providers: [ConversationsService, MessagesService, SnoozeScheduler, AutoAssignment],
  exports: [ConversationsService, MessagesService, AutoAssignment, VisitorsModule],
})
export class ConversationsModule {}
