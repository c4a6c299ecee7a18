/** The project's seeded PRNG lives with the test helpers; benchmarks use the same one. */
export { seededRandom } from '@amc-reports/testing/src/seeded-random';
