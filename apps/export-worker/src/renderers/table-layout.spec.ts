import { columnGroupLabel, layoutTable, shortenText, wrapCellText } from './table-layout';

// A monospace measure: 1 unit per character (bold 1.1), so widths are checked by hand.
const measure = (text: string, bold: boolean) => Array.from(text).length * (bold ? 1.1 : 1);
const options = { measure, width: 60, padding: 2, minTextWidth: 10, maxTextWidth: 20, maxTextLines: 2, maxHeaderLines: 2 };

describe('layoutTable', () => {
  it('gives a numeric column exactly its widest value (plus padding) and lets text grow to fill the rest', () => {
    const layout = layoutTable([{ label: 'Name', numeric: false }, { label: 'N', numeric: true }], [['short', '1,234,567'], ['a longer name', '5']], options);
    expect(layout.groups).toHaveLength(1);
    expect(layout.minimumWidth).toBe(10 + 11); // text at its minimum width, the number at its widest value
    const [name, number] = layout.groups[0].widths;
    expect(number).toBeGreaterThanOrEqual(11);
    expect(name + number).toBeCloseTo(60);
  });

  it('splits a table too wide into groups that each repeat the key column, and labels them', () => {
    const columns = [{ label: 'Campaign', numeric: false }, ...Array.from({ length: 6 }, (_, index) => ({ label: `Metric ${index + 1}`, numeric: true }))];
    const row = ['Campaign A', ...Array.from({ length: 6 }, () => '12,345,678.90')];
    const layout = layoutTable(columns, [row], { ...options, width: 50 });
    expect(layout.groups.map((group) => group.columns)).toEqual([[0, 1, 2], [0, 3, 4], [0, 5, 6]]);
    for (const group of layout.groups) for (const [index, column] of group.columns.entries()) if (column > 0) expect(group.widths[index]).toBeGreaterThanOrEqual(15);
    const labels = columns.map((column) => column.label);
    expect(columnGroupLabel(1, layout.groups, labels, 0)).toBe('Part 2 of 3: Metric 3 to Metric 4');
    expect(columnGroupLabel(0, [layout.groups[0]], labels, 0)).toBeUndefined();
  });

  it('never makes a header narrower than it needs to fit its lines uncut', () => {
    const layout = layoutTable([{ label: 'Cost per 1,000 impressions (CPM)', numeric: true }], [['$1.00']], { ...options, width: 200 });
    const width = layout.groups[0].widths[0];
    expect(wrapCellText('Cost per 1,000 impressions (CPM)', width - 2, 2, measure, true).join(' ')).toBe('Cost per 1,000 impressions (CPM)');
  });
});

describe('wrapCellText', () => {
  it('wraps between words, then after underscores and hyphens, and shortens the last line', () => {
    expect(wrapCellText('Brand defence campaign', 14, 3, measure)).toEqual(['Brand defence', 'campaign']);
    expect(wrapCellText('US_SP_Holiday_Kitchen', 10, 3, measure)).toEqual(['US_SP_', 'Holiday_', 'Kitchen']);
    expect(wrapCellText('one two three four five', 9, 2, measure)).toEqual(['one two', 'three fo…']);
    expect(wrapCellText('ホリデー_スポンサー広告', 5, 3, measure)).toEqual(['ホリデー_', 'スポンサー', '広告']);
  });
  it('shortens with an ellipsis only when it must', () => {
    expect(shortenText('abc', 3, measure)).toBe('abc');
    expect(shortenText('abcdef', 4, measure)).toBe('abc…');
  });
});
