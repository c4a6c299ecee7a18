import { S3Client } from '@aws-sdk/client-s3';
import { LocalDirectoryStorage } from './local-directory-storage';
import type { ObjectStorage } from './object-storage';
import { S3ObjectStorage } from './s3-object-storage';

export type ObjectStorageSettings =
  | { kind: 'local'; directory: string }
  | {
    kind: 's3';
    bucket: string;
    region: string;
    /** An S3-compatible server (MinIO: http://minio:9000); AWS when absent. */
    endpoint?: string;
    /** bucket in the path, not the host name: what MinIO and most S3-compatible servers need. */
    forcePathStyle: boolean;
    spoolDir?: string;
  };

/** The export storage variables, shared by the export worker (writes) and the gateway (downloads). */
export interface ExportStorageEnv {
  EXPORT_STORAGE: 'local' | 's3';
  EXPORT_DIR: string;
  S3_BUCKET?: string;
  S3_ENDPOINT?: string;
  S3_REGION: string;
  S3_FORCE_PATH_STYLE: boolean;
}

export function exportStorageSettings(env: ExportStorageEnv): ObjectStorageSettings {
  if (env.EXPORT_STORAGE === 'local') return { kind: 'local', directory: env.EXPORT_DIR };
  if (!env.S3_BUCKET) throw new Error('S3_BUCKET is required when EXPORT_STORAGE=s3');
  return { kind: 's3', bucket: env.S3_BUCKET, region: env.S3_REGION, endpoint: env.S3_ENDPOINT, forcePathStyle: env.S3_FORCE_PATH_STYLE };
}

/** Credentials come from the SDK's default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, roles). */
export function createS3Client(settings: Extract<ObjectStorageSettings, { kind: 's3' }>): S3Client {
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    // Checksums only where S3 requires them: S3-compatible servers that predate the flexible
    // checksums (older MinIO, Ceph) reject the headers the SDK would otherwise add to every PUT.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export function createObjectStorage(settings: ObjectStorageSettings): ObjectStorage {
  if (settings.kind === 'local') return new LocalDirectoryStorage(settings.directory);
  return new S3ObjectStorage(createS3Client(settings), { bucket: settings.bucket, spoolDir: settings.spoolDir });
}
