import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AgentGuard } from './agent.guard';
import { AgentsController, TeammatesController } from './agents.controller';
import { AgentsService } from './agents.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { CsrfGuard } from './csrf.guard';
import { RateLimits } from './rate-limits.service';

@Module({
  controllers: [AuthController, AgentsController, TeammatesController],
  providers: [
    AuthService,
    AgentGuard,
    AgentsService,
    RateLimits,
    // Every state-changing REST call, in every module.
    { provide: APP_GUARD, useClass: CsrfGuard },
  ],
  exports: [AuthService, AgentGuard, RateLimits],
})
export class AuthModule {}
