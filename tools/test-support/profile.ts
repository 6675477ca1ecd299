/**
 * Test sizes. The default `ci` profile keeps the whole suite well inside CI's budget;
 * `npm run test:nightly` sets AMANAT_PROFILE=nightly for the figures SECURITY-TESTS.md names.
 */
export const PROFILE: 'ci' | 'nightly' = process.env.AMANAT_PROFILE === 'nightly' ? 'nightly' : 'ci'

/** Picks the count for the running profile. */
export function sized(ci: number, nightly: number): number {
  return PROFILE === 'nightly' ? nightly : ci
}

/** Property-test runs: a few in CI, many at night (typage's SLOW=1 idea). */
export const PROPERTY_RUNS = sized(50, 1000)
