import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPrismaClient, type PrismaClient } from '@amc-reports/db';
import { LocalDirectoryStorage } from '@amc-reports/storage';
import { createTestDatabase, type TestDatabase } from '@amc-reports/testing';
import { seedExport, seedReport } from '../test/seed-export';
import { claimExport } from './export-lifecycle';
import { loadExportSource } from './load-export-source';

let database: TestDatabase;
let prisma: PrismaClient;
let dir: string;
let storage: LocalDirectoryStorage;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 2 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-source-'));
  storage = new LocalDirectoryStorage(dir);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function sourceFor(exportSettings: Record<string, unknown>) {
  const report = await seedReport(prisma, { exportSettings });
  const view = report.viewIds.get('insights')!;
  const insight = (text: string, confidenceScore: number, strength?: number) => prisma.dashboardInsight.create({
    data: {
      dashboardViewId: view, executionId: report.executionId, findingId: text, insightType: 'trend', insightText: text, confidenceScore,
      aiModel: 'statistical', promptVersion: 'test', sourceData: strength === undefined ? undefined : { finding: { strength }, numbers: {}, executionIds: [] },
    },
  });
  await prisma.dashboardInsight.deleteMany({ where: { dashboardViewId: view } });
  await insight('strong and sure', 0.9, 0.8);
  await insight('sure enough', 0.45, 0.6);
  await insight('a weak finding, well worded', 0.62, 0.1);
  await insight('unsure', 0.12, 0.9);
  const id = await seedExport(prisma, report, { format: 'pdf' });
  const claim = await claimExport(prisma, id, 3, 10);
  if (claim.kind !== 'claimed') throw new Error(`not claimed: ${claim.kind}`);
  const source = await loadExportSource(prisma, storage, storage, claim.row);
  if (source.kind !== 'document') throw new Error('not a document');
  return source.document;
}

it('keeps insights at or above the default minimum confidence (0.3), never a weak finding', async () => {
  const doc = await sourceFor({});
  expect(doc.insights.map((insight) => insight.text)).toEqual(['strong and sure', 'sure enough']);
});

it("follows the report's minimum confidence, and its PDF settings", async () => {
  const doc = await sourceFor({ minInsightConfidence: 0.5, pdf: { pageSize: 'Letter', orientation: 'portrait' } });
  expect(doc.insights.map((insight) => insight.text)).toEqual(['strong and sure']);
  expect(doc.page).toEqual({ pageSize: 'Letter', orientation: 'portrait' });
  // A low setting does not let a weak finding through.
  const lenient = await sourceFor({ minInsightConfidence: 0 });
  expect(lenient.insights.map((insight) => insight.text)).toEqual(['strong and sure', 'sure enough', 'unsure']);
});

it('carries the execution, its history and no branding when the organization has none', async () => {
  const doc = await sourceFor({});
  expect(doc.report.executionId).toEqual(expect.any(String));
  expect(doc.history).toEqual([expect.objectContaining({ executionId: doc.report.executionId, status: 'SUCCEEDED' })]);
  expect(doc.branding).toBeUndefined();
});
