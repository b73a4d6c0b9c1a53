import { Module } from '@nestjs/common';
import { AgentGuard } from './agent.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';

@Module({
  controllers: [AuthController],
  providers: [AuthService, AgentGuard],
  exports: [AuthService, AgentGuard],
})
export class AuthModule {}
