import { ConflictException, Injectable, Logger } from '@nestjs/common';
import { api } from '@amc-reports/contracts';
import { InjectPrisma, type PrismaClient } from '@amc-reports/db';
import { notFound } from '../common/request-validation';
import { instanceSelect, memberSelect, toMemberView } from '../organizations/organization-views';

interface InstanceRow {
  instanceId: string;
  organizationId: string;
  name: string | null;
  advertiserId: string | null;
  marketplace: string | null;
  createdAt: Date;
  updatedAt: Date;
  created: boolean;
}

/**
 * The operator's provisioning (owner connection, no RLS): organizations, who belongs to them with
 * which role, and which AMC instances each owns. Every PUT is idempotent; every change is logged.
 */
@Injectable()
export class AdminOrganizationsService {
  private readonly logger = new Logger('AdminApi');

  constructor(@InjectPrisma() private readonly prisma: PrismaClient) {}

  async create(input: api.CreateOrganization) {
    const organization = await this.prisma.organization.create({ data: { name: input.name } });
    this.logger.log({ msg: 'organization created', organizationId: organization.id });
    return (await this.detail(organization.id))!;
  }

  async list(pagination: api.Pagination) {
    const rows = await this.prisma.organization.findMany({
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: pagination.limit + 1, skip: pagination.offset,
      include: { _count: { select: { members: true, amcInstances: true } } },
    });
    const page = api.toPage(rows, pagination);
    return { ...page, items: page.items.map(({ _count, ...organization }) => ({ ...organization, memberCount: _count.members, amcInstanceCount: _count.amcInstances })) };
  }

  async detail(organizationId: string) {
    const organization = await this.prisma.organization.findUnique({
      where: { id: organizationId },
      include: {
        members: { select: memberSelect, orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }] },
        amcInstances: { select: instanceSelect, orderBy: { instanceId: 'asc' } },
      },
    });
    if (!organization) return null;
    return {
      id: organization.id, name: organization.name, createdAt: organization.createdAt, updatedAt: organization.updatedAt,
      memberCount: organization.members.length, amcInstanceCount: organization.amcInstances.length,
      members: organization.members.map(toMemberView), amcInstances: organization.amcInstances,
    };
  }

  /** Adds the user (creating their users row if they never signed in) or changes their role. */
  async putMember(organizationId: string, userId: string, role: api.OrganizationRole) {
    await this.requireOrganization(organizationId);
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO users (id) VALUES (${userId}::uuid) ON CONFLICT DO NOTHING`;
      const existing = await tx.organizationMember.findUnique({ where: { organizationId_userId: { organizationId, userId } } });
      const membership = await tx.organizationMember.upsert({
        where: { organizationId_userId: { organizationId, userId } }, create: { organizationId, userId, role }, update: { role },
      });
      if (existing?.role !== role) this.logger.log({ msg: `member ${existing ? `role ${existing.role} → ${role}` : `added as ${role}`}`, organizationId, userId });
      return { created: !existing, membership };
    });
  }

  async removeMember(organizationId: string, userId: string): Promise<void> {
    await this.requireOrganization(organizationId);
    const { count } = await this.prisma.organizationMember.deleteMany({ where: { organizationId, userId } });
    if (count === 0) throw notFound('member');
    this.logger.log({ msg: 'member removed', organizationId, userId });
  }

  /**
   * One statement, so two organizations claiming one instance at the same moment cannot both win:
   * the conflict update applies only when the instance is already this organization's.
   */
  async putInstance(organizationId: string, instanceId: string, fields: api.PutAmcInstance) {
    await this.requireOrganization(organizationId);
    const given = (key: keyof api.PutAmcInstance) => fields[key] !== undefined;
    const rows = await this.prisma.$queryRaw<InstanceRow[]>`
      INSERT INTO amc_instances (instance_id, organization_id, name, advertiser_id, marketplace)
      VALUES (${instanceId}, ${organizationId}::uuid, ${fields.name ?? null}, ${fields.advertiserId ?? null}, ${fields.marketplace ?? null})
      ON CONFLICT (instance_id) DO UPDATE SET
        name = CASE WHEN ${given('name')} THEN EXCLUDED.name ELSE amc_instances.name END,
        advertiser_id = CASE WHEN ${given('advertiserId')} THEN EXCLUDED.advertiser_id ELSE amc_instances.advertiser_id END,
        marketplace = CASE WHEN ${given('marketplace')} THEN EXCLUDED.marketplace ELSE amc_instances.marketplace END
      WHERE amc_instances.organization_id = ${organizationId}::uuid
      RETURNING instance_id AS "instanceId", organization_id AS "organizationId", name, advertiser_id AS "advertiserId", marketplace,
                created_at AS "createdAt", updated_at AS "updatedAt", (xmax = 0) AS created`;
    const row = rows[0];
    if (!row) {
      throw new ConflictException({ statusCode: 409, error: 'instance_owned_elsewhere', message: `AMC instance ${instanceId} belongs to another organization` });
    }
    if (row.created) this.logger.log({ msg: 'AMC instance registered', organizationId, instanceId });
    const { created, ...instance } = row;
    return { created, instance };
  }

  async removeInstance(organizationId: string, instanceId: string): Promise<void> {
    await this.requireOrganization(organizationId);
    const workflows = await this.prisma.workflow.count({ where: { organizationId, amcInstanceId: instanceId } });
    if (workflows > 0) {
      throw new ConflictException({
        statusCode: 409, error: 'instance_in_use',
        message: `${workflows} workflow(s) of this organization use AMC instance ${instanceId}; delete them first (their history goes with them)`,
      });
    }
    const { count } = await this.prisma.amcInstance.deleteMany({ where: { organizationId, instanceId } });
    if (count === 0) throw notFound('AMC instance of this organization');
    this.logger.log({ msg: 'AMC instance removed', organizationId, instanceId });
  }

  private async requireOrganization(organizationId: string): Promise<void> {
    if (!(await this.prisma.organization.findUnique({ where: { id: organizationId }, select: { id: true } }))) throw notFound('organization');
  }
}
