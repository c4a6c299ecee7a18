/**
 * `npm run demo`: the whole system on the embedded default, plus a demo user with a query
 * template, a workflow with reporting on and its report configuration. `--once` prints and exits.
 */
import { mintUserToken } from '@amc-reports/auth';
import { DEMO_EMAIL, seedDemoData } from './lib/demo-data';
import { runUntilInterrupted, say, startDevStack } from './lib/dev-stack';

async function main(): Promise<void> {
  const once = process.argv.includes('--once');
  const started = Date.now();
  const stack = await startDevStack({ quietApps: once });
  try {
    say('• creating the demo user, query template, workflow and report…');
    const demo = await seedDemoData(stack.infra.databaseUrl);
    const token = await mintUserToken({ userId: demo.userId, email: DEMO_EMAIL, secret: stack.env.JWT_SECRET!, expiresIn: '7d' });
    say('');
    say(`Demo ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    say(`  user:       ${demo.userId} (${DEMO_EMAIL})`);
    say(`  template:   ${demo.templateId}`);
    say(`  workflow:   ${demo.workflowId}`);
    say(`  report:     ${demo.reportId}`);
    say(`  dashboard:  ${stack.gatewayUrl}/v1/reports/${demo.reportId}/dashboard`);
    say(`  health:     ${stack.gatewayUrl}/health`);
    say(`  token:      ${token}`);
    say(`  try:        curl -H "Authorization: Bearer <token>" ${stack.gatewayUrl}/v1/reports/${demo.reportId}/dashboard`);
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
  process.stderr.write(`demo: ${(error as Error).message}\n`);
  process.exit(1);
});
