import { Inject } from '@nestjs/common';

export const REPORT_SERVICE_CONFIG = Symbol('REPORT_SERVICE_CONFIG');
export const InjectReportServiceConfig = (): ParameterDecorator => Inject(REPORT_SERVICE_CONFIG);
