import type { DimensionBucket } from '@amc-reports/contracts/src/result-profile';
import { NULL_BUCKET_KEY, OTHER_BUCKET_KEY } from '@amc-reports/contracts/src/result-profile';
import type { DashboardContext } from './dashboard-context';

export type AudienceContext = DashboardContext<'audience'>;

/** Named keys only: `__other__` (folded) and `__null__` are no segment, bucket or path anyone can act on. */
export const realBuckets = (buckets: readonly DimensionBucket[] | undefined): DimensionBucket[] =>
  (buckets ?? []).filter((bucket) => bucket.key !== OTHER_BUCKET_KEY && bucket.key !== NULL_BUCKET_KEY);
