/**
 * `npm run demo`: the whole system on the embedded default, fed through the real gateway like
 * the AMC pipeline would: the operator provisions a demo organization owning the demo AMC
 * instance (admin API), then the demo user's query template and workflow with reporting on, eight
 * weekly executions as signed events, then a PDF export, an e-mail subscription sent now and a
 * client share link. Prints the token, the dashboard URL, the insights with their confidence, the
 * PDF's path, the delivered e-mail's .eml path (or "sent over SMTP_URL") and the share link.
 * `--once` prints and exits.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { mintUserToken } from '@amc-reports/auth';
import { provisionOrganization } from '@amc-reports/testing/src/provision-organization';
import { apiClient, postSignedEvent } from '@amc-reports/testing/src/signed-event';
import { DEMO_COLUMNS, demoWeek, demoWindow } from './lib/demo-history';
import { runUntilInterrupted, say, startDevStack, type DevStack } from './lib/dev-stack';

const DEMO_USER_ID = '00000000-0000-4000-8000-00000000d3e0';
const DEMO_EMAIL = 'demo@amc-reports.local';
const INSTANCE_ID = 'amcdemo0001';
const AMC_WORKFLOW_ID = 'weekly_funnel_by_campaign';
const WEEKS = 8;
const DEMO_SUBSCRIPTION = 'Weekly funnel to the client';

async function until<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function step<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  process.stdout.write(`• ${label}… `);
  const result = await work();
  process.stdout.write(`done (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return result;
}

async function playDemo(stack: DevStack): Promise<void> {
  const token = await mintUserToken({ userId: DEMO_USER_ID, email: DEMO_EMAIL, secret: stack.env.JWT_SECRET!, expiresIn: '24h' });
  const api = apiClient(stack.gatewayUrl, token);
  await step('provisioning the demo organization and its AMC instance (admin API)', async () => {
    const mine = (await api.get('/v1/organizations')).body.items as { amcInstances: { instanceId: string }[] }[] | undefined;
    if (mine?.some((organization) => organization.amcInstances.some((instance) => instance.instanceId === INSTANCE_ID))) return;
    await provisionOrganization(stack.gatewayUrl, stack.env.ADMIN_TOKEN!, {
      name: 'Demo Agency — Acme Brand', instanceIds: [INSTANCE_ID], members: [{ userId: DEMO_USER_ID, role: 'owner' }],
    });
  });
  const ok = <T extends { status: number; body: Record<string, any> }>(response: T, what: string): T => {
    if (response.status >= 300) throw new Error(`${what} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response;
  };

  const { workflowId, reportId } = await step('creating the demo query template, workflow and report', async () => {
    const existing = (await api.get('/v1/workflows?limit=100')).body.items?.find((w: { amcWorkflowId: string }) => w.amcWorkflowId === AMC_WORKFLOW_ID);
    if (existing) return { workflowId: existing.id as string, reportId: existing.reportConfigId as string };
    const template = ok(await api.post('/v1/query-templates', {
      name: 'Weekly funnel by campaign', category: 'funnel', defaultDashboardType: 'funnel',
      sqlQuery: 'SELECT campaign, ad_product_type, SUM(impressions) impressions, SUM(clicks) clicks, SUM(detail_page_view) detail_page_view, '
        + 'SUM(add_to_cart) add_to_cart, SUM(purchases) purchases, SUM(product_sales) product_sales FROM amazon_attributed_events_by_traffic_time GROUP BY 1, 2',
    }), 'template');
    const workflow = ok(await api.post('/v1/workflows', {
      name: 'Weekly funnel (demo)', sqlQuery: template.body.sqlQuery, queryTemplateId: template.body.id,
      amcInstanceId: INSTANCE_ID, amcWorkflowId: AMC_WORKFLOW_ID, reportEnabled: true,
    }), 'workflow');
    return { workflowId: workflow.body.id as string, reportId: workflow.body.reportConfigId as string };
  });

  const lastExecutionId = await step(`playing ${WEEKS} weekly AMC executions as signed events`, async () => {
    let executionId = '';
    for (let week = 1; week <= WEEKS; week++) {
      executionId = `demo-week-${week}`;
      const response = await postSignedEvent(stack.gatewayUrl, stack.env.AMC_WEBHOOK_SECRET!, {
        eventId: randomUUID(), type: 'amc.execution.completed', occurredAt: new Date(Date.parse(demoWindow(week).end) + 6 * 3_600_000).toISOString(),
        instanceId: INSTANCE_ID, workflowId, amcWorkflowId: AMC_WORKFLOW_ID, executionId, status: 'SUCCEEDED', timeWindow: demoWindow(week),
        result: { format: 'rows', columns: DEMO_COLUMNS, rows: demoWeek(week) },
      });
      if (response.status !== 202) throw new Error(`event for week ${week} answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return executionId;
  });

  const dashboard = await step('waiting for the dashboard with its 8-week history', () => until('the dashboard', async () => {
    const board = (await api.get(`/v1/reports/${reportId}/dashboard`)).body;
    const history = board.views?.find((v: { key: string }) => v.key === 'funnel.history');
    return history?.data?.rows?.length === WEEKS ? board : null;
  }));

  const insights = await step('waiting for the insights of the latest execution', () => until('insights', async () => {
    const board = (await api.get(`/v1/reports/${reportId}/dashboard`)).body;
    // The execution the views show (the newest window), not latestRun: that is the last to arrive,
    // and with four events processed at once it can be an earlier week's.
    const shown = board.period?.executionIds?.length === 1 ? board.period.executionIds[0] : board.latestRun?.executionId;
    const set = (board.insights ?? []) as { executionId: string }[];
    return dashboard && set.length > 0 && set.every((insight) => insight.executionId === shown) ? set : null;
  }));

  const pdfPath = await step('exporting the dashboard as PDF', async () => {
    const requested = ok(await api.post(`/v1/reports/${reportId}/exports`, { format: 'pdf', scope: 'dashboard' }), 'export request');
    const exportId = requested.body.id as string;
    await until('the PDF export', async () => {
      const current = (await api.get(`/v1/exports/${exportId}`)).body;
      if (current.status === 'failed') throw new Error(`the PDF export failed: ${current.error}`);
      return current.status === 'completed';
    });
    const download = await fetch(`${stack.gatewayUrl}/v1/exports/${exportId}/download`, { headers: { authorization: `Bearer ${token}` } });
    if (!download.ok) throw new Error(`the PDF download answered ${download.status}`);
    const file = path.join(path.dirname(stack.env.EXPORT_DIR!), 'demo', 'weekly-funnel-demo.pdf');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.from(await download.arrayBuffer()));
    return file;
  });

  const delivered = await step('subscribing the client by e-mail and sending it now', () => sendDemoSubscription(stack, api, reportId, ok));
  const shareUrl = await step('making a read-only share link for the client (30 days, exports allowed)', async () => {
    const link = ok(await api.post(`/v1/reports/${reportId}/share-links`, {
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), allowExports: true, label: 'Acme Brand team',
    }), 'share link');
    return link.body.url as string;
  });

  say('');
  say(`The demo report is live (last execution ${lastExecutionId}).`);
  say(`  token:      ${token}`);
  say(`  web app:    ${stack.gatewayUrl}/app/#/reports/${reportId}   (sign in with the token above)`);
  say(`  dashboard:  ${stack.gatewayUrl}/v1/reports/${reportId}/dashboard   (curl -H "Authorization: Bearer $TOKEN" …)`);
  say(`  live:       ${stack.gatewayUrl}/v1/reports/${reportId}/events?access_token=<token>   (Server-Sent Events)`);
  say(`  API docs:   ${stack.gatewayUrl}/docs`);
  say(`  PDF:        ${pdfPath}`);
  say(`  e-mail:     ${delivered}`);
  say(`  share link: ${shareUrl}   (read-only, no account)`);
  say('  insights (best first):');
  for (const insight of insights as { confidenceScore?: number; confidence?: number; type?: string; insightType?: string; text?: string; insightText?: string }[]) {
    const confidence = Number(insight.confidenceScore ?? insight.confidence ?? 0).toFixed(2);
    say(`    [${confidence}] ${insight.insightType ?? insight.type}: ${insight.insightText ?? insight.text}`);
  }
}

type Ok = <T extends { status: number; body: Record<string, any> }>(response: T, what: string) => T;

/**
 * The demo's subscription: the weekly funnel by e-mail with its PDF and CSV, after each execution,
 * sent once now. Without SMTP_URL the delivery module writes the message to MAIL_DIR as
 * `<delivery id>.eml`: that path is what the demo prints.
 */
async function sendDemoSubscription(stack: DevStack, api: ReturnType<typeof apiClient>, reportId: string, ok: Ok): Promise<string> {
  const existing = ((await api.get(`/v1/reports/${reportId}/subscriptions`)).body.items as { id: string; name: string }[])
    .find((subscription) => subscription.name === DEMO_SUBSCRIPTION);
  const subscriptionId = existing?.id ?? ok(await api.post(`/v1/reports/${reportId}/subscriptions`, {
    name: DEMO_SUBSCRIPTION, channel: { type: 'email', recipients: ['client@acme-brand.example'] }, formats: ['pdf', 'csv'], trigger: { type: 'after_execution' },
  }), 'subscription').body.id as string;
  const delivery = ok(await api.post(`/v1/reports/${reportId}/subscriptions/${subscriptionId}/deliveries`, {}), 'send now').body;
  const sent = await until('the e-mail delivery', async () => {
    const rows = (await api.get(`/v1/reports/${reportId}/deliveries?subscriptionId=${subscriptionId}&limit=5`)).body.items as { id: string; status: string; error: string | null }[];
    const row = rows.find((candidate) => candidate.id === delivery.id);
    if (row?.status === 'failed') throw new Error(`the e-mail delivery failed: ${row.error}`);
    return row?.status === 'sent' ? row : null;
  });
  if (stack.env.SMTP_URL) return `sent over SMTP_URL (delivery ${sent.id})`;
  const eml = path.join(stack.env.MAIL_DIR!, `${sent.id}.eml`);
  if (!fs.existsSync(eml)) throw new Error(`the delivery was sent but ${eml} is missing`);
  return eml;
}

async function main(): Promise<void> {
  const once = process.argv.includes('--once');
  const started = Date.now();
  const stack = await startDevStack({ quietApps: true });
  try {
    await playDemo(stack);
    say(`\nDemo ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  if (once) {
    await stack.stop();
    return;
  }
  runUntilInterrupted(stack);
}

main().catch((error: unknown) => {
  process.stderr.write(`\ndemo: ${(error as Error).message}\n`);
  process.exit(1);
});
