export type UnusableResultReason =
  | 'no_header'
  | 'duplicate_column'
  | 'ragged_row'
  | 'csv_syntax'
  | 'record_too_large'
  | 'no_rows'
  | 'no_numeric_column'
  | 'wrong_shape'
  | 'invalid_settings';

/**
 * The AMC result (or the report's settings) cannot make a dashboard, for a reason a user can read
 * and act on ("ragged row 2 (line 3): 2 fields where the header has 3"). Permanent: retrying the
 * same result gives the same answer, so the processor records it instead of retrying.
 */
export class UnusableResultError extends Error {
  override readonly name = 'UnusableResultError';

  constructor(
    readonly reason: UnusableResultReason,
    message: string,
  ) {
    super(message);
  }
}
