import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MessagesService } from '../messages/messages.service';
import { VisitorsModule } from '../visitors/visitors.module';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';
import { SnoozeScheduler } from './snooze-scheduler';

@Module({
  imports: [AuthModule, VisitorsModule],
  controllers: [ConversationsController],
  providers: [ConversationsService, MessagesService, SnoozeScheduler],
  exports: [ConversationsService, MessagesService, VisitorsModule],
})
export class ConversationsModule {}
