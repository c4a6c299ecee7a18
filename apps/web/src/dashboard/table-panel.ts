import type { DashboardView } from '../api-types';
import { createSortableTable } from './sortable-table';
import { createViewCard, type ViewPanel } from './view-card';

/** A table view (e.g. the funnel by campaign), sortable by any column; sort order survives updates. */
export function createTablePanel(initial: DashboardView): ViewPanel {
  const card = createViewCard(initial, true);
  const table = createSortableTable(initial.chart, initial.name, initial.data?.formulas);
  card.body.append(table.element);
  table.update(initial.data?.rows ?? []);
  card.setFootnotes(initial);
  return {
    element: card.element,
    update(view) {
      table.update(view.data?.rows ?? []);
      card.setFootnotes(view);
    },
    dispose: () => undefined,
  };
}
