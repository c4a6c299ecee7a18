import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { viewFormulas } from './export-document';

const WITHHELD = /withheld/i;

function sentence(note: string): string {
  return /[.!?]$/.test(note) ? note : `${note}.`;
}

/**
 * The notes under each view of one document, each printed once: the builders attach the same
 * context note (the spend unit, the touch model, withheld rows) to every view, and a reader needs
 * it once, under the first view that has it. The formulas of a view's numbers follow the same rule.
 */
export class NoteOnce {
  private readonly printed = new Set<string>();

  forView(view: BuiltView): string | undefined {
    const notes = [...(view.data.notes ?? [])];
    const withheld = view.data.filteredRowCount ?? 0;
    // The builders' own withheld-rows note says it already; ours is for views built without one.
    if (withheld > 0 && !notes.some((note) => WITHHELD.test(note))) {
      notes.push(`${withheld} ${withheld === 1 ? 'row' : 'rows'} withheld by AMC privacy thresholds (not counted as zero)`);
    }
    const fresh = notes.map(sentence).filter((note) => this.take(note));
    const formulas = viewFormulas(view).filter((formula) => this.take(formula));
    if (formulas.length > 0) fresh.push(`Formulas: ${formulas.join(' ')}`);
    return fresh.length > 0 ? fresh.join(' ') : undefined;
  }

  private take(note: string): boolean {
    const key = note.replace(/\s+/g, ' ').trim().toLowerCase();
    if (this.printed.has(key)) return false;
    this.printed.add(key);
    return true;
  }
}
