import { Body, Controller, Get, Param, Put, UseGuards } from '@nestjs/common';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { api } from '@amc-reports/contracts';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { parseId, parseRequest } from '../common/request-validation';
import { BrandingService } from './branding.service';

/** Export branding of an organization (defaults) and of a report (overrides). Others' ids are 404s. */
@Controller('v1')
@UseGuards(JwtAuthGuard)
export class BrandingController {
  constructor(private readonly branding: BrandingService) {}

  @Get('organizations/:id/branding')
  getOrganization(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return this.branding.getOrganization(user, parseId(id, 'organization'));
  }

  @Put('organizations/:id/branding')
  updateOrganization(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: unknown) {
    const organizationId = parseId(id, 'organization');
    return this.branding.updateOrganization(user, organizationId, parseRequest(api.UpdateBranding, body));
  }

  @Put('organizations/:id/branding/logo')
  uploadOrganizationLogo(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: unknown) {
    const organizationId = parseId(id, 'organization');
    return this.branding.uploadOrganizationLogo(user, organizationId, parseRequest(api.UploadLogo, body));
  }

  @Get('reports/:id/branding')
  getReport(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return this.branding.getReport(user, parseId(id, 'report'));
  }

  @Put('reports/:id/branding')
  updateReport(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: unknown) {
    const reportId = parseId(id, 'report');
    return this.branding.updateReport(user, reportId, parseRequest(api.UpdateBranding, body));
  }

  @Put('reports/:id/branding/logo')
  uploadReportLogo(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: unknown) {
    const reportId = parseId(id, 'report');
    return this.branding.uploadReportLogo(user, reportId, parseRequest(api.UploadLogo, body));
  }
}
