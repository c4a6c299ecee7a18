import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import fs from 'node:fs';
import path from 'node:path';
import type { ExportWorkerEnv } from '@amc-reports/config';
import { isLiveLocalOwner, ProcessScratch, scratchRoot, type ObjectStorage } from '@amc-reports/storage';
import { InjectExportStorage, InjectRawResultStorage } from './export-worker.config';

/** Where this process renders: `<EXPORT_TEMP_DIR or the OS temp directory>/amc-export-worker/<owner>/<export>-…/`. */
export const RENDER_SCRATCH = Symbol('RENDER_SCRATCH');
export const InjectRenderScratch = (): ParameterDecorator => Inject(RENDER_SCRATCH);

export function renderScratchRoot(config: Pick<ExportWorkerEnv, 'EXPORT_TEMP_DIR'>): string {
  return scratchRoot('export-worker', config.EXPORT_TEMP_DIR);
}

/** Opens this process's render scratch, sweeping the renders of killed processes first. */
export function openRenderScratch(config: Pick<ExportWorkerEnv, 'EXPORT_TEMP_DIR'>): Promise<ProcessScratch> {
  return ProcessScratch.open(renderScratchRoot(config));
}

/**
 * At start-up nothing a killed export worker left is kept: its render directories (swept when the
 * scratch opened) and the storage temporaries it was writing (the file being stored, a raw result
 * being archived). At a clean stop this process's own scratch goes too (renders it released).
 */
@Injectable()
export class RenderTemporaries implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RenderTemporaries.name);

  constructor(
    @InjectRenderScratch() private readonly scratch: ProcessScratch,
    @InjectExportStorage() private readonly storage: ObjectStorage,
    @InjectRawResultStorage() private readonly rawResults: ObjectStorage,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const stored = await this.storage.removeTemporariesOfDeadProcesses();
    const raw = await this.rawResults.removeTemporariesOfDeadProcesses();
    if (this.scratch.swept + stored + raw > 0) {
      this.logger.warn({ msg: 'removed what killed processes left behind', renderDirectories: this.scratch.swept, storageTemporaries: stored + raw });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.scratch.close();
  }
}

/**
 * Render temporaries of processes on other hosts (a shared EXPORT_TEMP_DIR), which a start-up
 * sweep here cannot judge: removed once nothing in them was written for `olderThanMs` (a render in
 * progress keeps writing its file, however long it runs). Also flat `amc-export-*` files of older
 * versions.
 */
export async function removeStaleRenderTemporaries(root: string, olderThanMs: number): Promise<number> {
  const cutoff = Date.now() - olderThanMs;
  let removed = 0;
  for (const name of await fs.promises.readdir(root).catch(() => [] as string[])) {
    // A live process of this host owns its directory, idle or not; dead ones were swept at start-up.
    if (isLiveLocalOwner(name)) continue;
    const entry = path.join(root, name);
    if ((await newestWrite(entry)) < cutoff) {
      await fs.promises.rm(entry, { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}

async function newestWrite(entry: string, depth = 0): Promise<number> {
  const stat = await fs.promises.stat(entry).catch(() => null);
  if (!stat) return Number.POSITIVE_INFINITY;
  if (!stat.isDirectory() || depth > 2) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of await fs.promises.readdir(entry).catch(() => [] as string[])) newest = Math.max(newest, await newestWrite(path.join(entry, name), depth + 1));
  return newest;
}
