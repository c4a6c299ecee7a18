import { Global, Module, type DynamicModule } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../app-config';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { OrganizationAccess } from '../organizations/organization-access.service';
import { UserScope } from './user-scope.service';

/** What every gateway feature module uses: the validated config, the JWT guard, the RLS scope, the role checks. */
@Global()
@Module({})
export class GatewayCommonModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayCommonModule,
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }, JwtAuthGuard, UserScope, OrganizationAccess],
      exports: [GATEWAY_CONFIG, JwtAuthGuard, UserScope, OrganizationAccess],
    };
  }
}
