import { composeMessage, type MessageInput, windowLastDay, windowText } from './compose-message';
import { collectDeliveryMetrics, contentFingerprint, type DeliveryContent } from './delivery-content';
import { deliveryFileName } from './delivery-files';

const hostile = 'Q4 <script>alert(1)</script> & <@U123>\r\nBcc: evil@example.com';
const content: DeliveryContent = {
  report: { id: 'r1', name: hostile, dashboardType: 'performance' },
  execution: { id: 'e1', timeWindowStart: new Date('2026-11-02T00:00:00Z'), timeWindowEnd: new Date('2026-11-08T23:59:59Z'), completedAt: null, rowCount: 3 },
  metrics: [{ key: 'roas', label: 'ROAS', value: 3.414, format: 'ratio', shown: true }, { key: 'x', label: 'x', value: 1, format: 'number', shown: false }],
  insights: [{ type: 'trend', text: 'Clicks <b>rose</b> 12%.', confidence: 0.9, metric: null, metricLabel: null }],
  dashboardUrl: 'http://reports.test/app/#/reports/r1',
};
const input: MessageInput = {
  deliveryId: 'd1', subscription: { id: 's1', name: 'Weekly' }, trigger: { kind: 'after_execution' }, content, alerts: ['ROAS is 3.41 (< 5)'],
  files: [{ format: 'pdf', fileName: 'q4.pdf', sizeBytes: 2_500_000, as: 'link', url: 'http://reports.test/v1/download-links/t', expiresAt: new Date('2026-11-15T00:00:00Z') }],
  sentAt: new Date('2026-11-09T06:00:00Z'),
};

describe('composeMessage', () => {
  const message = composeMessage(input);

  it('shows only the insights a client export would carry, in every channel', () => {
    const weak = { type: 'comparison', text: 'Clicks rose 2.10% versus Oct 26 – Nov 1.', confidence: 0.12, metric: 'clicks', metricLabel: 'Clicks', clientGrade: false };
    const composed = composeMessage({ ...input, content: { ...content, insights: [...content.insights, weak] } });
    for (const body of [composed.text, composed.html, JSON.stringify(composed.slack)]) {
      expect(body).toContain('12%.');
      expect(body).not.toContain('Clicks rose 2.10%');
    }
    expect(composed.webhook.insights).toEqual([{ type: 'trend', text: 'Clicks <b>rose</b> 12%.', confidence: 0.9 }]);
  });

  it('keeps the subject on one line and marks alerts', () => {
    expect(message.subject).toBe('Alert: Q4 <script>alert(1)</script> & <@U123> Bcc: evil@example.com — 2026-11-02 – 2026-11-08');
    expect(message.subject).not.toMatch(/[\r\n]/);
  });

  it('escapes report names and insight text in the HTML', () => {
    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('Q4 &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;@U123&gt;');
    expect(message.html).toContain('Clicks &lt;b&gt;rose&lt;/b&gt; 12%.');
    expect(message.html).toContain('3.41');
  });

  it('keeps Slack control characters out of mrkdwn: a name cannot mention or link', () => {
    // The header block is plain_text (Slack parses no mentions or links there); the rest is mrkdwn.
    const text = JSON.stringify([message.slack.text, ...message.slack.blocks.slice(1)]);
    expect(text).not.toContain('<@U123>');
    expect(text).not.toContain('<script>');
    expect(text).toContain('&lt;@U123&gt;');
    expect(text).toContain('<http://reports.test/v1/download-links/t|q4.pdf>');
  });

  it('shows only headline metrics and says where the file is and until when', () => {
    expect(message.text).toContain('ROAS: 3.41');
    expect(message.text).not.toMatch(/^\s+x: /m);
    expect(message.text).toContain('q4.pdf (2.4 MB): http://reports.test/v1/download-links/t (until 2026-11-15 00:00 UTC)');
    expect(message.webhook).toMatchObject({ type: 'report.delivery', deliveryId: 'd1', alerts: ['ROAS is 3.41 (< 5)'], metrics: [{ key: 'roas', value: 3.414 }] });
  });
});

describe('contentFingerprint', () => {
  it('changes with the numbers and the window, not with ids', () => {
    const base = contentFingerprint(content);
    expect(contentFingerprint({ ...content, report: { ...content.report, id: 'other' }, dashboardUrl: 'elsewhere' })).toBe(base);
    expect(contentFingerprint({ ...content, metrics: [{ ...content.metrics[0], value: 3.5 }, content.metrics[1]] })).not.toBe(base);
    expect(contentFingerprint({ ...content, execution: { ...content.execution!, timeWindowEnd: new Date('2026-11-09T00:00:00Z') } })).not.toBe(base);
  });
});

describe('collectDeliveryMetrics', () => {
  it('reads period cards, per-metric rows and a funnel without cards', () => {
    const cards = collectDeliveryMetrics([{
      key: 'performance.cards', name: 'Key metrics', viewType: 'metric_card', position: 0,
      chart: { kind: 'metric', title: 'Key metrics', x: { field: 'period', type: 'category' }, series: [{ field: 'roas', label: 'ROAS', format: 'ratio' }] },
      data: { rows: [{ period: 'previous', roas: 1 }, { period: 'latest', roas: 2.5 }], summary: { roasChange: 1.5 } },
    }]);
    expect(cards).toEqual([
      { key: 'roas', label: 'ROAS', value: 2.5, format: 'ratio', shown: true },
      { key: 'roasChange', label: 'roasChange', value: 1.5, format: 'number', shown: false },
    ]);
    const funnel = collectDeliveryMetrics([{
      key: 'funnel.stages', name: 'Funnel', viewType: 'chart', position: 0,
      chart: { kind: 'funnel', title: 'Funnel', x: { field: 'stage', type: 'category' }, series: [{ field: 'users', label: 'Users' }] },
      data: { rows: [{ stage: 'Impressions', column: 'impressions', users: 10 }, { stage: 'Purchases', column: 'purchases', users: null }] },
    }]);
    expect(funnel.map((metric) => [metric.key, metric.label, metric.value])).toEqual([['impressions', 'Impressions', 10], ['purchases', 'Purchases', null]]);
  });
});

describe('deliveryFileName', () => {
  it('is a safe file name from the report name and the window', () => {
    expect(deliveryFileName('Q4 / Sponsored: "Ads"', new Date('2026-11-08T23:59:59Z'), 'excel')).toBe('q4-sponsored-ads-2026-11-08.xlsx');
    expect(deliveryFileName('ホリデー', null, 'pdf')).toBe('report.pdf');
    // A dashboard's CSV is a ZIP of one CSV per view.
    expect(deliveryFileName('Q4', null, 'csv')).toBe('q4.zip');
  });
});

describe('windowText', () => {
  it("says the days of an end-exclusive window in the event's zone, as the dashboard does", () => {
    const execution = { id: 'e1', timeWindowStart: new Date('2026-09-28T04:00:00Z'), timeWindowEnd: new Date('2026-10-05T04:00:00Z'), timeZone: 'America/New_York', completedAt: null, rowCount: 1 };
    const content = { report: { id: 'r', name: 'Client funnel', dashboardType: 'funnel' }, execution, metrics: [], insights: [], dashboardUrl: 'http://x' };
    expect(windowText(content)).toBe('2026-09-28 – 2026-10-04');
    expect(windowLastDay(content)).toEqual(new Date('2026-10-04T00:00:00Z'));
  });
});
