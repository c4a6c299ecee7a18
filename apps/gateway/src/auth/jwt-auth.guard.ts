import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { bearerToken, createTokenVerifier, InvalidTokenError, type AuthenticatedUser } from '@amc-reports/auth';
import { InjectGatewayConfig, type GatewayConfig } from '../app-config';
import { ALLOW_QUERY_TOKEN } from './allow-query-token.decorator';

export type AuthenticatedRequest = FastifyRequest & { user: AuthenticatedUser };

/** Bearer JWT on every user route; the user id (sub) then scopes every query through RLS. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly verify: ReturnType<typeof createTokenVerifier>;

  constructor(@InjectGatewayConfig() config: GatewayConfig, private readonly reflector: Reflector) {
    this.verify = createTokenVerifier({
      secret: config.JWT_SECRET, jwksUrl: config.JWT_JWKS_URL, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE,
      maxLifetimeSeconds: config.JWT_MAX_LIFETIME_SECONDS,
    });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const queryToken = (request.query as Record<string, unknown> | undefined)?.access_token;
    const allowQueryToken = this.reflector.get<boolean>(ALLOW_QUERY_TOKEN, context.getHandler()) === true;
    if (queryToken !== undefined && !allowQueryToken) {
      throw unauthorized('token_in_url', 'send the token as Authorization: Bearer <token>; ?access_token= is accepted only by the events stream');
    }
    const token = bearerToken(request.headers.authorization) ?? (typeof queryToken === 'string' ? queryToken : undefined);
    try {
      request.user = await this.verify(token);
      return true;
    } catch (error) {
      const reason = error instanceof InvalidTokenError ? error.reason : 'invalid_token';
      throw unauthorized(reason, (error as Error).message);
    }
  }
}

function unauthorized(reason: string, message: string): UnauthorizedException {
  return new UnauthorizedException({ statusCode: 401, error: 'unauthorized', reason, message });
}
