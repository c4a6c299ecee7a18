import { CreateQueryTemplate, CreateWorkflow } from '@amc-reports/contracts/src/api/library.schema';
import { DASHBOARD_TYPES } from '@amc-reports/contracts/src/dashboard-view';
import type { Organization } from '../api-types';
import { humanize } from '../display-format';
import { h, replaceChildren } from '../dom';
import { apiProblems, clearProblems, field, focusField, selectInput, showProblems, textInput, zodProblems, type FieldProblem } from '../forms/form-fields';
import { ApiError } from '../gateway-api';
import type { PageCleanup, PageContext } from '../page-context';
import { editReportPath, navigate } from '../router';

/**
 * A report from scratch: a query template and a workflow on one of the organization's AMC
 * instances, with reporting turned on; then the report's settings page. Validated with the API's
 * own zod schemas (libs/contracts) before anything is sent, the API's answers shown at the same
 * fields. Only editors and owners see the form.
 */
export function renderNewReportPage(context: PageContext): PageCleanup {
  const status = h('p', { class: 'muted', attrs: { role: 'status' } }, 'Loading your organizations…');
  replaceChildren(context.main,
    h('div', { class: 'page-header' }, h('div', null,
      h('nav', { class: 'breadcrumb', attrs: { 'aria-label': 'Breadcrumb' } }, h('a', { attrs: { href: '#/reports' } }, 'Reports'), ' / '),
      h('h1', null, 'New report'),
      h('p', { class: 'lead' }, 'An AMC query, the workflow that runs it on one of your instances, and its dashboard.'))),
    status);
  context.api.listOrganizations().then((organizations) => {
    if (context.signal.aborted) return;
    const writable = organizations.items.filter((organization) => organization.role !== 'viewer');
    if (writable.length === 0) {
      status.classList.remove('muted');
      status.textContent = organizations.items.length === 0
        ? 'You are not a member of any organization yet: ask an owner of your organization to add you.'
        : 'Only editors and owners can create reports; your role is viewer. Ask an owner of your organization to make you an editor.';
      return;
    }
    status.replaceWith(newReportForm(context, writable));
  }, (error: unknown) => {
    if (!(error instanceof ApiError && error.status === 401)) status.textContent = `Could not load your organizations: ${(error as Error).message}`;
  });
  return () => undefined;
}

function newReportForm(context: PageContext, organizations: Organization[]): HTMLElement {
  const organization = selectInput(organizations.map((entry) => [entry.id, `${entry.name} (${entry.role})`]), organizations[0].id);
  const instance = selectInput([]);
  const fillInstances = (): void => {
    const chosen = organizations.find((entry) => entry.id === organization.value);
    replaceChildren(instance, h('option', { attrs: { value: '' } }, 'Choose an AMC instance…'),
      ...(chosen?.amcInstances ?? []).map((entry) => h('option', { attrs: { value: entry.instanceId } }, entry.name ? `${entry.name} (${entry.instanceId})` : entry.instanceId)));
    if (chosen?.amcInstances.length === 1) instance.value = chosen.amcInstances[0].instanceId;
  };
  organization.addEventListener('change', fillInstances);
  fillInstances();
  const templateName = textInput({ autocomplete: 'off' });
  const sql = h('textarea', { class: 'sql-input', attrs: { rows: 8, spellcheck: 'false', placeholder: 'SELECT campaign, SUM(impressions) AS impressions, … FROM dsp_impressions …' } });
  const category = textInput({ placeholder: 'funnel, performance…' });
  const dashboardType = selectInput(DASHBOARD_TYPES.map((type) => [type, humanize(type)]), 'funnel');
  const workflowName = textInput({ autocomplete: 'off' });
  const amcWorkflowId = textInput({ placeholder: 'the workflow id in AMC (optional)', spellcheck: 'false' });
  const general = h('p', { class: 'form-error', attrs: { role: 'alert' } });
  const submit = h('button', { class: 'button button-primary', attrs: { type: 'submit' } }, 'Create and turn reporting on');

  const form = h('form', { class: 'card settings-form', attrs: { novalidate: true, 'aria-label': 'New report' } },
    h('fieldset', { class: 'form-section' }, h('legend', null, 'Where it runs'),
      field('workflow.organizationId', 'Organization', organization),
      field('workflow.amcInstanceId', 'AMC instance', instance, 'One of the organization\'s AMC instances (the administrator registers them).')),
    h('fieldset', { class: 'form-section' }, h('legend', null, 'Query template'),
      field('template.name', 'Template name', templateName),
      field('template.sqlQuery', 'AMC SQL', sql, 'The query AMC runs; the dashboard reads the columns of its result.'),
      field('template.category', 'Category', category),
      field('template.defaultDashboardType', 'Dashboard type', dashboardType, 'You can change it, and map the result\'s columns, on the next page.')),
    h('fieldset', { class: 'form-section' }, h('legend', null, 'Workflow'),
      field('workflow.name', 'Workflow name', workflowName, 'Defaults to the template name.'),
      field('workflow.amcWorkflowId', 'AMC workflow id', amcWorkflowId, 'Events name the workflow by this id, or by ours.')),
    general, submit);

  const bodies = () => {
    const template = {
      organizationId: organization.value, name: templateName.value, sqlQuery: sql.value,
      ...(category.value.trim() ? { category: category.value } : {}), defaultDashboardType: dashboardType.value,
    };
    const workflow = {
      organizationId: organization.value, name: workflowName.value.trim() || templateName.value, sqlQuery: sql.value, amcInstanceId: instance.value,
      ...(amcWorkflowId.value.trim() ? { amcWorkflowId: amcWorkflowId.value.trim() } : {}), reportEnabled: true,
    };
    return { template, workflow };
  };
  const check = (): FieldProblem[] => {
    const { template, workflow } = bodies();
    const templateCheck = CreateQueryTemplate.safeParse(template);
    const workflowCheck = CreateWorkflow.safeParse(workflow);
    const problems = [
      ...(templateCheck.success ? [] : zodProblems(templateCheck.error.issues, 'template')),
      // The workflow repeats the template's SQL and name: their problems are said once, at the template.
      ...(workflowCheck.success ? [] : zodProblems(workflowCheck.error.issues, 'workflow').filter((problem) => problem.path !== 'workflow.sqlQuery')),
    ];
    if (!instance.value) problems.push({ path: 'workflow.amcInstanceId', message: 'choose one of the organization\'s AMC instances' });
    return problems.filter((problem, index) => problems.findIndex((other) => other.path === problem.path) === index);
  };
  // Kept when the workflow fails after the template was made: trying again does not make a second one.
  let templateId: string | null = null;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const problems = check();
    if (problems.length > 0) {
      focusField(showProblems(form, problems, general));
      return;
    }
    clearProblems(form, general);
    submit.disabled = true;
    submit.textContent = 'Creating…';
    const { template, workflow } = bodies();
    let step: 'template' | 'workflow' = 'template';
    (templateId ? Promise.resolve({ id: templateId }) : context.api.createQueryTemplate(template))
      .then((created) => {
        templateId = created.id;
        step = 'workflow';
        return context.api.createWorkflow({ ...workflow, queryTemplateId: created.id });
      })
      .then((created) => {
        context.announce('Report created: now map its columns.');
        navigate(editReportPath(created.reportConfigId!));
      }, (error: unknown) => {
        submit.disabled = false;
        submit.textContent = 'Create and turn reporting on';
        const problems = apiProblems(error, (name) => `${step}.${name}`);
        if (problems) focusField(showProblems(form, problems, general));
        else general.textContent = `Could not create the ${step}: ${(error as Error).message}`;
      });
  });
  return form;
}
