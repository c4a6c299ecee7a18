import type { MyOrganization } from '../api-types';
import { h } from '../dom';
import type { ReportFilter } from '../gateway-api';

/** "Acme Brand (US)" for an AMC instance: the advertiser's name when the operator gave one. */
export function instanceLabel(organizations: MyOrganization[], instanceId: string | null): string {
  if (!instanceId) return '—';
  for (const organization of organizations) {
    const instance = organization.amcInstances.find((candidate) => candidate.instanceId === instanceId);
    if (instance) return `${instance.name ?? instance.instanceId}${instance.marketplace ? ` (${instance.marketplace})` : ''}`;
  }
  return instanceId;
}

/**
 * One select over the reader's organizations and their advertisers (AMC instances): an agency
 * working for many clients narrows the list to one client, or one advertiser of it.
 */
export function organizationFilter(organizations: MyOrganization[], onChange: (filter: ReportFilter) => void): HTMLElement | null {
  const advertisers = organizations.reduce((count, organization) => count + organization.amcInstances.length, 0);
  if (organizations.length <= 1 && advertisers <= 1) return null;
  const select = h('select', { attrs: { id: 'report-filter', 'aria-label': 'Show reports of' } },
    h('option', { attrs: { value: '' } }, 'All organizations and advertisers'),
    ...organizations.map((organization) => h('optgroup', { attrs: { label: `${organization.name} — ${organization.role}` } },
      h('option', { attrs: { value: `org:${organization.id}` } }, `All of ${organization.name}`),
      ...organization.amcInstances.map((instance) => h('option', { attrs: { value: `instance:${organization.id}:${instance.instanceId}` } },
        instanceLabel(organizations, instance.instanceId))))));
  select.addEventListener('change', () => {
    const [kind, organizationId, instanceId] = select.value.split(':');
    onChange(kind === 'org' ? { organizationId } : kind === 'instance' ? { organizationId, amcInstanceId: instanceId } : {});
  });
  return h('div', { class: 'filter-bar' }, h('label', { attrs: { for: 'report-filter' } }, 'Show'), select);
}
