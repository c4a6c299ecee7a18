// The profiler and the dashboard builders refuse a result with the same error class (one instanceof).
export { UnusableResultError, type UnusableResultReason } from '@amc-reports/dashboards';
