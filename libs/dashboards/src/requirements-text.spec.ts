import fs from 'node:fs';
import path from 'node:path';
import { DASHBOARD_TYPES } from '@amc-reports/contracts/src/dashboard-view';
import { getMetric } from '@amc-reports/metrics';
import { dashboardColumnsMarkdown } from './requirements-text';

describe('the README\'s AMC columns per dashboard type', () => {
  it('is in the README as generated from the builders\' lists and the metric layer', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
    expect(readme).toContain(dashboardColumnsMarkdown());
  });

  it('has a section per dashboard type, with the metric layer\'s own column names', () => {
    const text = dashboardColumnsMarkdown();
    expect([...text.matchAll(/^#### (\w+)$/gm)].map((match) => match[1])).toEqual([...DASHBOARD_TYPES]);
    const purchases = getMetric('purchases');
    if (purchases.kind !== 'base') throw new Error('purchases is a base metric');
    expect(text).toContain(`| Purchases (\`purchases\`) | ${purchases.stems.map((stem) => `\`${stem}\``).join(', ')} |`);
  });
});
