import type { DashboardView } from '../api-types';
import { createChartPanel } from './chart-panel';
import { createTablePanel } from './table-panel';
import type { ViewPanel } from './view-card';

/** Metric views become the headline cards and insight views the insights list; the rest get a panel. */
function panelKind(view: DashboardView): 'chart' | 'table' | null {
  if (view.viewType === 'metric_card' || view.viewType === 'insight' || view.chart.kind === 'metric') return null;
  return view.viewType === 'table' || view.chart.kind === 'table' ? 'table' : 'chart';
}

/** The columns a panel was built with: a comparison adds Δ columns, and then the panel is built anew. */
function columnsSignature(view: DashboardView): string {
  return [...view.chart.series.map((series) => series.field), '|', ...(view.data?.comparisonFields ?? []).map((field) => field.field)].join(',');
}

export interface ViewsSection {
  update(views: DashboardView[]): void;
  dispose(): void;
}

/**
 * The dashboard's view panels, keyed by the view's stable key: a new execution updates each panel
 * in place (charts animate to the new numbers, tables keep their sort) instead of redrawing the page.
 */
export function createViewsSection(container: HTMLElement): ViewsSection {
  const panels = new Map<string, { kind: 'chart' | 'table'; signature: string; panel: ViewPanel }>();
  return {
    update(views) {
      const shown = views.filter((view) => panelKind(view) !== null);
      const keys = new Set(shown.map((view) => view.key));
      for (const [key, entry] of panels) {
        if (keys.has(key)) continue;
        entry.panel.dispose();
        entry.panel.element.remove();
        panels.delete(key);
      }
      shown.forEach((view, index) => {
        const kind = panelKind(view)!;
        let entry = panels.get(view.key);
        if (entry && (entry.kind !== kind || entry.signature !== columnsSignature(view))) {
          entry.panel.dispose();
          entry.panel.element.remove();
          entry = undefined;
        }
        if (entry) entry.panel.update(view);
        else {
          entry = { kind, signature: columnsSignature(view), panel: kind === 'chart' ? createChartPanel(view) : createTablePanel(view) };
          panels.set(view.key, entry);
        }
        if (container.children[index] !== entry.panel.element) container.insertBefore(entry.panel.element, container.children[index] ?? null);
      });
      container.hidden = shown.length === 0;
    },
    dispose() {
      for (const entry of panels.values()) entry.panel.dispose();
      panels.clear();
    },
  };
}
