import { Inject } from '@nestjs/common';
import type { GatewayEnv } from '@amc-reports/config';

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const InjectGatewayConfig = (): ParameterDecorator => Inject(GATEWAY_CONFIG);
export type GatewayConfig = GatewayEnv;
