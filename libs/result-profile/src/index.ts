// The result profiler (DESIGN §6): an AMC result (CSV stream or inline rows) → ResultProfile in one
// streaming pass with bounded memory. Plain TypeScript; the report service feeds it downloads.
export { profileCsvStream, profileInlineRows, type ProfileCsvOptions } from './profile-csv-stream';
export { ResultProfileBuilder, type ResultProfileOptions } from './result-profile-builder';
export { UnusableResultError, type UnusableResultReason } from './unusable-result.error';
