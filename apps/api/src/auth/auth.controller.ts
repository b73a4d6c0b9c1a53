import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  LoginRequestSchema,
  type LoginRequest,
  type LogoutResponse,
  type MeResponse,
} from '@parley/protocol';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { AgentGuard, authOf, type AgentRequest } from './agent.guard';
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
    return { agent: toAgentDto(agent) };
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
  me(@Req() req: AgentRequest): MeResponse {
    return { agent: toAgentDto(authOf(req).agent) };
  }

  private secure(req: Request): boolean {
    return this.config.COOKIE_SECURE ?? req.secure;
  }
}
