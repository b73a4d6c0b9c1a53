import {
  type CanActivate,
  type ExecutionContext,
  HttpStatus,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode, type AgentRole } from '@parley/protocol';
import type { Request } from 'express';
import { ApiException } from '../common/api-error';
import { AuthService, type AuthenticatedAgent } from './auth.service';
import { readSessionToken } from './session-cookie';

export type AgentRequest = Request & { auth?: AuthenticatedAgent };

const ROLES = 'parley:roles';
const PENDING_PASSWORD_OK = 'parley:pending-password-ok';
/**
 * Lets an agent that still has a one-time password through (its profile, choosing a password);
 * every other route answers PASSWORD_CHANGE_REQUIRED until it has chosen one.
 */
export const AllowPendingPassword = () => SetMetadata(PENDING_PASSWORD_OK, true);
/** Restricts a route to agents with one of these roles (checked by AgentGuard). */
export const Roles = (...roles: AgentRole[]) => SetMetadata(ROLES, roles);

/** Requires a valid agent session cookie, and the route's roles when it declares any. */
@Injectable()
export class AgentGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AgentRequest>();
    const authenticated = await this.auth.authenticate(readSessionToken(req));
    if (!authenticated) throw ApiException.unauthorized();
    req.auth = authenticated;
    const targets = [context.getHandler(), context.getClass()];
    if (
      authenticated.agent.mustChangePassword &&
      !this.reflector.getAllAndOverride<boolean | undefined>(PENDING_PASSWORD_OK, targets)
    ) {
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        ErrorCode.PasswordChangeRequired,
        'Choose your own password first: the one you signed in with was for one time only.',
      );
    }
    const roles = this.reflector.getAllAndOverride<AgentRole[] | undefined>(ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (roles && !roles.includes(authenticated.agent.role)) {
      throw ApiException.forbidden(`Only ${roles.join(' or ')} can do this.`);
    }
    return true;
  }
}

/** The authenticated agent of a request that passed AgentGuard. */
export function authOf(req: AgentRequest): AuthenticatedAgent {
  if (!req.auth) throw ApiException.unauthorized();
  return req.auth;
}
