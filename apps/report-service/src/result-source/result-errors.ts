/**
 * A result we must not or cannot fetch, for a reason retrying will not change (a host outside
 * the allow-list, a path outside RESULTS_DIR, an expired pre-signed URL, a result over the cap).
 * Recorded on the execution for people to read; the job does not retry.
 */
export class ResultUnavailableError extends Error {
  override readonly name = 'ResultUnavailableError';

  constructor(
    readonly code: 'RESULT_REFUSED' | 'RESULT_UNAVAILABLE' | 'RESULT_TOO_LARGE',
    /** Shown to users on the dashboard: says what is wrong, never where on the server. */
    message: string,
    /** For the log line only (a server path, an errno): never stored on the execution. */
    readonly logDetail: Record<string, string> = {},
  ) {
    super(message);
  }
}
