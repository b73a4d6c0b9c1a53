import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@parley/protocol';
import { HttpStatus } from '@nestjs/common';
import type { Request } from 'express';
import { ApiException } from '../common/api-error';
import { compileTrustedProxies, type TrustProxy } from '../common/client-address';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { isOwnOrigin, originHeader } from '../sites/origins';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection for every state-changing REST call: a browser request must come from a page
 * of Parley's own origin. Browsers say where a request comes from in `Sec-Fetch-Site` and
 * `Origin`, and a page cannot forge either; SameSite cookies alone let sibling subdomains
 * (same site, other origin) through. Requests carrying neither header are not from a browser
 * page and cannot ride on a victim's cookie.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  private readonly trust: TrustProxy;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.trust = compileTrustedProxies(config.TRUSTED_PROXIES);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (SAFE_METHODS.has(req.method)) return true;
    const site = req.headers['sec-fetch-site'];
    if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
      throw refusal(`a ${site} page`);
    }
    const origin = originHeader(req);
    if (origin !== undefined && !isOwnOrigin(origin, req, this.trust, this.config.PUBLIC_URL)) {
      throw refusal(origin);
    }
    return true;
  }
}

function refusal(from: string): ApiException {
  return new ApiException(
    HttpStatus.FORBIDDEN,
    ErrorCode.OriginNotAllowed,
    `This request came from ${from}, not from Parley itself, and was refused.`,
  );
}
