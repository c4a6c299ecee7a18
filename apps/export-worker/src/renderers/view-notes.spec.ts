import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { NoteOnce } from './view-notes';

const view = (key: string, data: Partial<BuiltView['data']>): BuiltView => ({
  key, name: key, viewType: 'table', position: 0,
  chart: { kind: 'table', title: key, series: [{ field: 'ctr', label: 'CTR', format: 'percent' }] },
  data: { rows: [], ...data },
});

describe('NoteOnce', () => {
  it('prints a note the builders attach to every view once, under the first view that has it', () => {
    const notes = new NoteOnce();
    const spend = 'spend: total_cost read as millicents (CPM 6.52)';
    expect(notes.forView(view('a', { notes: [spend] }))).toBe(`${spend}.`);
    expect(notes.forView(view('b', { notes: [spend, 'ranked by purchases'] }))).toBe('ranked by purchases.');
    expect(notes.forView(view('c', { notes: [spend] }))).toBeUndefined();
  });

  it("says withheld rows once: the builder's own note stands, no second one is added", () => {
    const notes = new NoteOnce();
    const builder = "3 rows were withheld by AMC's privacy thresholds: counted, not summed";
    expect(notes.forView(view('a', { notes: [builder], filteredRowCount: 3 }))).toBe(`${builder}.`);
    expect(new NoteOnce().forView(view('b', { filteredRowCount: 1 }))).toBe('1 row withheld by AMC privacy thresholds (not counted as zero).');
  });

  it('prints each formula once across the document', () => {
    const notes = new NoteOnce();
    const formulas = { ctr: 'Click-through rate (CTR) = Clicks ÷ Impressions' };
    expect(notes.forView(view('a', { formulas }))).toBe('Formulas: Click-through rate (CTR) = Clicks ÷ Impressions');
    expect(notes.forView(view('b', { formulas }))).toBeUndefined();
  });
});
