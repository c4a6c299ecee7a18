import fs from 'node:fs';
import path from 'node:path';
import { catalogueMarkdownTable } from './catalogue-table';

describe('the README table of metrics', () => {
  it('is the catalogue, every metric with its formula and AMC columns', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
    const table = catalogueMarkdownTable();
    expect(readme).toContain(table);
    expect(table.split('\n')).toHaveLength(2 + 13 + 17);
  });
});
