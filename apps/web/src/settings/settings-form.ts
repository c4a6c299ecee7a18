import { DIMENSION_ROLES, EXPORT_FORMATS, METRIC_ROLES } from '@amc-reports/contracts/src/report-settings';
import { DASHBOARD_TYPES } from '@amc-reports/contracts/src/dashboard-view';
import { findMetric, SPEND_UNIT_SETTINGS } from '@amc-reports/metrics';
import type { ReportDetail, ReportPreview } from '../api-types';
import { FORMAT_LABELS } from '../dashboard/export-item';
import { humanize } from '../display-format';
import { h, replaceChildren } from '../dom';
import { field, selectInput, textInput } from '../forms/form-fields';

/** The settings as the API takes them (PATCH /v1/reports/:id), before validation. */
export interface SettingsDraft {
  name: string;
  dashboardType: string;
  isEnabled: boolean;
  visualization: Record<string, unknown>;
  aggregation: Record<string, unknown>;
  export: Record<string, unknown>;
}

export interface SettingsForm {
  element: HTMLFormElement;
  draft(): SettingsDraft;
  /** The latest result's columns (options of the column fields) and the views it makes (to hide some). */
  setPreview(preview: ReportPreview | null): void;
  onChange(listener: () => void): void;
}

const TOP_CAMPAIGNS = new Set(['funnel', 'performance', 'attribution']);
const TEXT_KINDS = new Set(['string', 'array', 'boolean']);
const numberOrText = (value: string): number | string | undefined => (value.trim() === '' ? undefined : Number.isFinite(Number(value)) ? Number(value) : value);
const labelOfRole = (role: string) => findMetric(role)?.label ?? humanize(role);

/**
 * The report's settings as fields named by their path in libs/contracts' schemas
 * (`aggregation.columns.spend`, `aggregation.stages.0.column`, `export.retentionDays`), so the
 * page validates with the same parseReportSettings the API does and errors land on the field.
 */
export function createSettingsForm(report: ReportDetail): SettingsForm {
  const listeners: Array<() => void> = [];
  const changed = () => listeners.forEach((listener) => listener());
  const aggregation = report.dataAggregationSettings as Record<string, any>;
  const visualization = report.visualizationSettings as Record<string, any>;
  const exportSettings = report.exportSettings as Record<string, any>;

  const name = textInput({ value: report.name, autocomplete: 'off' });
  const dashboardType = selectInput(DASHBOARD_TYPES.map((type) => [type, humanize(type)]), report.dashboardType);
  const isEnabled = h('input', { attrs: { type: 'checkbox', checked: report.isEnabled } });
  const numericColumns = h('datalist', { attrs: { id: 'numeric-columns' } });
  const textColumns = h('datalist', { attrs: { id: 'text-columns' } });
  const columnInputs = new Map<string, HTMLInputElement>();
  const detected = new Map<string, HTMLElement>();
  const columnField = (role: string, list: 'numeric-columns' | 'text-columns') => {
    const input = textInput({ list, value: aggregation.columns?.[role] ?? '', placeholder: 'detected by AMC naming', spellcheck: 'false' });
    columnInputs.set(role, input);
    const wrapper = field(`aggregation.columns.${role}`, labelOfRole(role), input);
    const note = h('p', { class: 'field-hint detected' });
    detected.set(role, note);
    wrapper.insertBefore(note, wrapper.querySelector('.field-error'));
    return wrapper;
  };
  const spendUnit = selectInput(SPEND_UNIT_SETTINGS.map((unit) => [unit, unit === 'auto' ? 'Detect from the result' : humanize(unit)]), aggregation.spendUnit ?? 'auto');
  const currency = textInput({ value: aggregation.currency ?? 'USD', maxlength: 3, spellcheck: 'false', autocapitalize: 'characters' });
  const historyLength = textInput({ value: aggregation.historyLength ?? '', inputmode: 'numeric', placeholder: '12' });
  const typeSection = h('div', { class: 'type-settings' });
  const hiddenViews = h('div', { class: 'checkbox-list', attrs: { role: 'group', 'aria-label': 'Views to hide' } });
  let hidden = new Set<string>(visualization.hiddenViews ?? []);
  let viewKeys: string[] = [...hidden];
  const autoExport = h('div', { class: 'checkbox-list', attrs: { role: 'group', 'aria-label': 'Export automatically after each execution' } },
    ...EXPORT_FORMATS.map((format) => h('label', { class: 'checkbox' },
      h('input', { attrs: { type: 'checkbox', value: format, checked: (exportSettings.autoExport ?? []).includes(format) } }), ` ${FORMAT_LABELS[format] ?? format}`)));
  const retention = textInput({ value: exportSettings.retentionDays ?? '', inputmode: 'numeric', placeholder: '7' });

  // Type-specific settings keep what was typed when the type changes and back.
  let stages: Array<{ column: string; label?: string }> = aggregation.stages ?? [];
  let topCampaigns = String(aggregation.topCampaigns ?? '');
  let topPaths = String(aggregation.topPaths ?? '');
  let attributionModel = String(aggregation.attributionModel ?? '');
  let customViews = visualization.views ? JSON.stringify(visualization.views, null, 2) : '';
  const renderTypeSection = (): void => {
    const type = dashboardType.value;
    const parts: HTMLElement[] = [];
    if (type === 'funnel') parts.push(stagesEditor());
    if (TOP_CAMPAIGNS.has(type)) {
      const input = textInput({ value: topCampaigns, inputmode: 'numeric', placeholder: type === 'funnel' ? '20' : '10' });
      input.addEventListener('input', () => { topCampaigns = input.value; });
      parts.push(field('aggregation.topCampaigns', 'Campaigns in tables', input));
    }
    if (type === 'attribution') {
      const input = textInput({ value: attributionModel, placeholder: 'last_touch', spellcheck: 'false' });
      input.addEventListener('input', () => { attributionModel = input.value; });
      parts.push(field('aggregation.attributionModel', 'Touch model of the totals', input, 'Touch models are compared side by side, never added up.'));
    }
    if (type === 'audience') {
      const input = textInput({ value: topPaths, inputmode: 'numeric', placeholder: '10' });
      input.addEventListener('input', () => { topPaths = input.value; });
      parts.push(field('aggregation.topPaths', 'Paths in tables', input));
    }
    if (type === 'custom') {
      const input = h('textarea', { class: 'json-input', attrs: { rows: 12, spellcheck: 'false' } });
      input.value = customViews || JSON.stringify([{ key: 'sales', title: 'Sales by campaign', kind: 'bar', x: 'campaign', y: 'product_sales' }], null, 2);
      customViews = input.value;
      input.addEventListener('input', () => { customViews = input.value; });
      parts.push(field('visualization.views', 'Custom views (JSON)', input, 'Each view: key, title, kind (bar, line, table, metric…), x, y (columns) and/or metrics (catalogue ids), aggregation, topN, filters.'));
    }
    replaceChildren(typeSection, ...parts);
  };
  const stagesEditor = (): HTMLElement => {
    const rows = h('ol', { class: 'stage-list' });
    const renderRows = (): void => {
      replaceChildren(rows, ...stages.map((stage, index) => {
        const column = textInput({ list: 'numeric-columns', value: stage.column, spellcheck: 'false', 'aria-label': `Stage ${index + 1} column` });
        const label = textInput({ value: stage.label ?? '', placeholder: 'label (optional)', 'aria-label': `Stage ${index + 1} label` });
        column.addEventListener('input', () => { stages[index] = { ...stages[index], column: column.value }; changed(); });
        label.addEventListener('input', () => { stages[index] = { ...stages[index], label: label.value || undefined }; changed(); });
        const remove = h('button', { class: 'button button-small button-quiet', attrs: { type: 'button' }, on: { click: () => { stages.splice(index, 1); renderRows(); changed(); } } }, 'Remove');
        return h('li', { class: 'stage-row', dataset: { field: `aggregation.stages.${index}` } },
          h('div', { class: 'stage-inputs' }, column, label, remove), h('p', { class: 'field-error form-error', attrs: { role: 'alert' } }));
      }));
    };
    renderRows();
    const add = h('button', { class: 'button button-small', attrs: { type: 'button' }, on: { click: () => { stages.push({ column: '' }); renderRows(); changed(); } } }, 'Add a stage');
    const wrapper = h('div', { class: 'field', dataset: { field: 'aggregation.stages' } },
      h('span', { class: 'field-label' }, 'Funnel stages'),
      h('p', { class: 'field-hint' }, 'None: impressions → clicks → detail page views → add to cart → purchases, as the result has them. Or 2 to 8 columns, in order.'),
      rows, add, h('p', { class: 'field-error form-error', attrs: { role: 'alert' } }));
    return wrapper;
  };
  const renderHiddenViews = (): void => {
    replaceChildren(hiddenViews, ...(viewKeys.length === 0 ? [h('p', { class: 'muted small' }, 'The views appear with the preview.')] : viewKeys.map((key) => {
      const box = h('input', { attrs: { type: 'checkbox', value: key, checked: hidden.has(key) } });
      box.addEventListener('change', () => { if (box.checked) hidden.add(key); else hidden.delete(key); });
      return h('label', { class: 'checkbox' }, box, ` ${key}`);
    })));
  };
  dashboardType.addEventListener('change', renderTypeSection);
  renderTypeSection();
  renderHiddenViews();

  const form = h('form', { class: 'settings-form', attrs: { novalidate: true, 'aria-label': 'Report settings' } },
    numericColumns, textColumns,
    h('fieldset', { class: 'form-section' }, h('legend', null, 'Report'),
      field('name', 'Name', name),
      field('dashboardType', 'Dashboard type', dashboardType),
      h('div', { class: 'field', dataset: { field: 'isEnabled' } }, h('label', { class: 'checkbox' }, isEnabled, ' Reporting on: rebuild after every execution'), h('p', { class: 'field-error form-error' }))),
    h('fieldset', { class: 'form-section' }, h('legend', null, 'Stages, campaigns, views'), typeSection,
      h('div', { class: 'field', dataset: { field: 'visualization.hiddenViews' } }, h('span', { class: 'field-label' }, 'Hide views'), hiddenViews, h('p', { class: 'field-error form-error' }))),
    h('fieldset', { class: 'form-section' }, h('legend', null, 'Money'),
      field('aggregation.spendUnit', 'Spend unit', spendUnit, 'AMC\'s total_cost is in millicents; many queries divide to dollars. Detection picks the unit giving a plausible CPM.'),
      field('aggregation.currency', 'Currency', currency, 'ISO 4217, e.g. USD or EUR.'),
      field('aggregation.historyLength', 'Windows in history charts', historyLength)),
    h('details', { class: 'form-section columns-section' }, h('summary', null, 'Columns: which result column each metric is read from'),
      h('div', { class: 'columns-grid' }, ...METRIC_ROLES.map((role) => columnField(role, 'numeric-columns')), ...DIMENSION_ROLES.map((role) => columnField(role, 'text-columns')))),
    h('fieldset', { class: 'form-section' }, h('legend', null, 'Export defaults'),
      h('div', { class: 'field', dataset: { field: 'export.autoExport' } }, h('span', { class: 'field-label' }, 'Export after each execution'), autoExport, h('p', { class: 'field-error form-error' })),
      field('export.retentionDays', 'Keep exports for (days)', retention, 'At most 30.')));
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);

  return {
    element: form,
    draft() {
      const type = dashboardType.value;
      const columns = Object.fromEntries([...columnInputs].filter(([, input]) => input.value.trim() !== '').map(([role, input]) => [role, input.value.trim()]));
      const aggregationDraft: Record<string, unknown> = {
        ...(numberOrText(historyLength.value) !== undefined ? { historyLength: numberOrText(historyLength.value) } : {}),
        ...(Object.keys(columns).length > 0 ? { columns } : {}),
        spendUnit: spendUnit.value,
        currency: currency.value.trim(),
        ...(type === 'funnel' && stages.length > 0 ? { stages: stages.map((stage) => ({ column: stage.column, ...(stage.label ? { label: stage.label } : {}) })) } : {}),
        ...(TOP_CAMPAIGNS.has(type) && numberOrText(topCampaigns) !== undefined ? { topCampaigns: numberOrText(topCampaigns) } : {}),
        ...(type === 'audience' && numberOrText(topPaths) !== undefined ? { topPaths: numberOrText(topPaths) } : {}),
        ...(type === 'attribution' && attributionModel.trim() ? { attributionModel: attributionModel.trim() } : {}),
      };
      let views: unknown;
      if (type === 'custom') {
        try {
          views = JSON.parse(customViews);
        } catch (error) {
          views = { notJson: (error as Error).message };
        }
      }
      const formats = [...autoExport.querySelectorAll<HTMLInputElement>('input:checked')].map((box) => box.value);
      return {
        name: name.value,
        dashboardType: type,
        isEnabled: isEnabled.checked,
        visualization: { ...(hidden.size > 0 ? { hiddenViews: [...hidden] } : {}), ...(type === 'custom' ? { views } : {}) },
        aggregation: aggregationDraft,
        export: { ...(formats.length > 0 ? { autoExport: formats } : {}), ...(numberOrText(retention.value) !== undefined ? { retentionDays: numberOrText(retention.value) } : {}) },
      };
    },
    setPreview(preview) {
      const profile = preview?.profile;
      replaceChildren(numericColumns, ...(profile?.columns ?? []).filter((column) => column.kind === 'number').map((column) => h('option', { attrs: { value: column.name } })));
      replaceChildren(textColumns, ...(profile?.columns ?? []).filter((column) => TEXT_KINDS.has(column.kind)).map((column) => h('option', { attrs: { value: column.name } })));
      for (const [role, note] of detected) {
        const found = profile ? (profile.metrics[role]?.join(' + ') ?? profile.dimensions[role]) : undefined;
        note.textContent = profile ? (found ? `Read from ${found}` : 'Not in the latest result') : '';
      }
      const keys = (preview?.views ?? []).map((view) => view.key);
      viewKeys = [...new Set([...keys, ...hidden])];
      hidden = new Set([...hidden].filter((key) => viewKeys.includes(key)));
      renderHiddenViews();
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}
