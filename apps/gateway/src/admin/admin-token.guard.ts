import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { adminTokenMatches, bearerToken, looksLikeJwt } from '@amc-reports/auth';
import { InjectGatewayConfig, type GatewayConfig } from '../app-config';

/**
 * The operator's admin API takes `Authorization: Bearer $ADMIN_TOKEN`. No token: 401. A user's JWT:
 * 403 (authenticated as somebody, just not the operator). Anything else: 401. Without ADMIN_TOKEN
 * configured the admin API refuses everything.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@InjectGatewayConfig() private readonly config: GatewayConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = bearerToken(request.headers.authorization);
    if (!this.config.ADMIN_TOKEN) {
      throw new UnauthorizedException({ statusCode: 401, error: 'unauthorized', reason: 'admin_api_disabled', message: 'the admin API is off: the operator sets ADMIN_TOKEN to use it' });
    }
    if (adminTokenMatches(token, this.config.ADMIN_TOKEN)) return true;
    if (!token) throw new UnauthorizedException({ statusCode: 401, error: 'unauthorized', reason: 'missing_token', message: 'the admin API needs Authorization: Bearer <ADMIN_TOKEN>' });
    if (looksLikeJwt(token)) throw new ForbiddenException({ statusCode: 403, error: 'forbidden', message: 'a user token cannot use the admin API; it takes the operator\'s ADMIN_TOKEN' });
    throw new UnauthorizedException({ statusCode: 401, error: 'unauthorized', reason: 'invalid_token', message: 'the admin token is not valid' });
  }
}
