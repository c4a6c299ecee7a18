import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { api } from '@amc-reports/contracts';
import { notFound, parseId, parseRequest } from '../common/request-validation';
import { AdminOrganizationsService } from './admin-organizations.service';
import { AdminTokenGuard } from './admin-token.guard';

/** An AMC instance id in a path: printable ASCII, 404 otherwise (it cannot name a row). */
function parseInstanceId(value: string): string {
  if (!api.AmcId.safeParse(value).success) throw notFound('AMC instance');
  return value;
}

/** /admin/v1: the AMC pipeline operator provisions organizations, members and AMC instances. */
@Controller('admin/v1/organizations')
@UseGuards(AdminTokenGuard)
export class AdminOrganizationsController {
  constructor(private readonly organizations: AdminOrganizationsService) {}

  @Post()
  create(@Body() body: unknown) {
    return this.organizations.create(parseRequest(api.CreateOrganization, body));
  }

  @Get()
  list(@Query() query: unknown) {
    return this.organizations.list(parseRequest(api.AdminListOrganizations, query));
  }

  @Get(':orgId')
  async get(@Param('orgId') orgId: string) {
    const organization = await this.organizations.detail(parseId(orgId, 'organization'));
    if (!organization) throw notFound('organization');
    return organization;
  }

  @Put(':orgId/members/:userId')
  async putMember(@Param('orgId') orgId: string, @Param('userId') userId: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const organizationId = parseId(orgId, 'organization');
    const memberId = parseId(userId, 'user');
    const { role } = parseRequest(api.SetMemberRole, body);
    const { created, membership } = await this.organizations.putMember(organizationId, memberId, role);
    reply.status(created ? 201 : 200);
    return membership;
  }

  @Delete(':orgId/members/:userId')
  @HttpCode(204)
  async removeMember(@Param('orgId') orgId: string, @Param('userId') userId: string): Promise<void> {
    await this.organizations.removeMember(parseId(orgId, 'organization'), parseId(userId, 'user'));
  }

  @Put(':orgId/amc-instances/:instanceId')
  async putInstance(@Param('orgId') orgId: string, @Param('instanceId') instanceId: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const organizationId = parseId(orgId, 'organization');
    const id = parseInstanceId(instanceId);
    const fields = parseRequest(api.PutAmcInstance, body);
    const { created, instance } = await this.organizations.putInstance(organizationId, id, fields);
    reply.status(created ? 201 : 200);
    return instance;
  }

  @Delete(':orgId/amc-instances/:instanceId')
  @HttpCode(204)
  async removeInstance(@Param('orgId') orgId: string, @Param('instanceId') instanceId: string): Promise<void> {
    await this.organizations.removeInstance(parseId(orgId, 'organization'), parseInstanceId(instanceId));
  }
}
