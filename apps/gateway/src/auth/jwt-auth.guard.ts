import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createTokenVerifier, InvalidTokenError, type AuthenticatedUser } from '@amc-reports/auth';
import { InjectGatewayConfig, type GatewayConfig } from '../app-config';

export type AuthenticatedRequest = FastifyRequest & { user: AuthenticatedUser };

/** Bearer JWT on every user route; the user id (sub) then scopes every query through RLS. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly verify: ReturnType<typeof createTokenVerifier>;

  constructor(@InjectGatewayConfig() config: GatewayConfig) {
    this.verify = createTokenVerifier({
      secret: config.JWT_SECRET, jwksUrl: config.JWT_JWKS_URL, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE,
    });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const query = request.query as Record<string, string | undefined> | undefined;
    // EventSource cannot send headers: the SSE route also takes ?access_token=.
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : query?.access_token;
    try {
      request.user = await this.verify(token);
      return true;
    } catch (error) {
      const reason = error instanceof InvalidTokenError ? error.reason : 'invalid_token';
      throw new UnauthorizedException({ statusCode: 401, error: 'unauthorized', reason, message: (error as Error).message });
    }
  }
}
