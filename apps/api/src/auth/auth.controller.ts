import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Patch,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ChangePasswordRequestSchema,
  LoginRequestSchema,
  UpdateProfileRequestSchema,
  type ChangePasswordRequest,
  type LoginRequest,
  type LogoutResponse,
  type MeResponse,
  type UpdateProfileRequest,
} from '@parley/protocol';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { AgentGuard, AllowPendingPassword, authOf, type AgentRequest } from './agent.guard';
import type { Agent } from '../generated/prisma/client';
import { AuthService, toAgentDto } from './auth.service';
import { clearedSessionCookie, readSessionToken, sessionCookie } from './session-cookie';

@Controller('api')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('auth/login')
  @HttpCode(200)
  async login(
    @Body(new ZodValidationPipe(LoginRequestSchema, 'sign-in')) body: LoginRequest,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MeResponse> {
    const { agent, token, expiresAt } = await this.auth.login(
      body.email,
      body.password,
      req.ip ?? 'unknown',
    );
    res.setHeader('Set-Cookie', sessionCookie(token, expiresAt, this.secure(req)));
    return me(agent);
  }

  @Post('auth/logout')
  @HttpCode(200)
  async logout(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LogoutResponse> {
    await this.auth.logout(readSessionToken(req));
    res.setHeader('Set-Cookie', clearedSessionCookie(this.secure(req)));
    return { ok: true };
  }

  @Get('me')
  @UseGuards(AgentGuard)
  @AllowPendingPassword()
  me(@Req() req: AgentRequest): MeResponse {
    return me(authOf(req).agent);
  }

  /** The agent's own display name and picture. */
  @Patch('me')
  @UseGuards(AgentGuard)
  @AllowPendingPassword()
  async updateProfile(
    @Body(new ZodValidationPipe(UpdateProfileRequestSchema, 'profile')) body: UpdateProfileRequest,
    @Req() req: AgentRequest,
  ): Promise<MeResponse> {
    return me(await this.auth.updateProfile(authOf(req).agent.id, body));
  }

  /** A new password (also replacing a one-time password); the agent's other sessions end. */
  @Post('me/password')
  @HttpCode(200)
  @UseGuards(AgentGuard)
  @AllowPendingPassword()
  async changePassword(
    @Body(new ZodValidationPipe(ChangePasswordRequestSchema, 'password change'))
    body: ChangePasswordRequest,
    @Req() req: AgentRequest,
  ): Promise<MeResponse> {
    return me(await this.auth.changePassword(authOf(req), body.currentPassword, body.newPassword));
  }

  private secure(req: Request): boolean {
    return this.config.COOKIE_SECURE ?? req.secure;
  }
}

function me(agent: Agent): MeResponse {
  return { agent: toAgentDto(agent), mustChangePassword: agent.mustChangePassword };
}
