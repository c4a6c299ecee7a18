import { BadRequestException, Controller, Headers, HttpCode, Post, Req, UnauthorizedException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AmcExecutionCompletedEvent, describeIssues, verifyAmcSignature } from '@amc-reports/contracts';
import { InjectGatewayConfig, type GatewayConfig } from '../app-config';
import { AmcEventIngestionService, type IngestionResult } from './amc-event-ingestion.service';
import { MetricsService } from '../observability/metrics.service';

@Controller('v1/events/amc')
export class AmcEventsController {
  constructor(
    private readonly ingestion: AmcEventIngestionService,
    @InjectGatewayConfig() private readonly config: GatewayConfig,
    private readonly metrics: MetricsService,
  ) {}

  /** The AMC pipeline's execution-completed webhook: signed, validated, recorded, queued. */
  @Post('execution-completed')
  @HttpCode(202)
  async executionCompleted(
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Headers('x-amc-signature') signature: string | undefined,
  ): Promise<IngestionResult> {
    const contentType = String(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (contentType !== 'application/json') {
      throw new UnsupportedMediaTypeException({ statusCode: 415, error: 'unsupported_media_type', message: 'send the event as application/json' });
    }
    const rawBody = request.rawBody ?? Buffer.alloc(0);
    const check = verifyAmcSignature(signature, rawBody, {
      secrets: [this.config.AMC_WEBHOOK_SECRET, ...this.config.AMC_WEBHOOK_SECRETS_PREVIOUS],
      toleranceSeconds: this.config.AMC_SIGNATURE_TOLERANCE_SECONDS,
    });
    if (!check.ok) {
      this.metrics.metrics.amcEvents.inc({ outcome: 'rejected_signature' });
      throw new UnauthorizedException({ statusCode: 401, error: 'invalid_signature', reason: check.reason, message: `X-AMC-Signature refused: ${check.reason.replace(/_/g, ' ')}` });
    }

    const parsed = AmcExecutionCompletedEvent.safeParse(request.body);
    if (!parsed.success) {
      this.metrics.metrics.amcEvents.inc({ outcome: 'rejected_validation' });
      const issues = describeIssues(parsed.error);
      throw new BadRequestException({
        statusCode: 400, error: 'validation_failed',
        message: issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '), issues,
      });
    }
    const result = await this.ingestion.accept(parsed.data, rawBody.toString('utf8'));
    this.metrics.metrics.amcEvents.inc({ outcome: result.status === 'accepted' ? result.outcome ?? 'accepted' : result.status });
    return result;
  }
}
