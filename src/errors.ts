/**
 * Errors every stage may raise for a user's mistake (a bad option, a filter
 * libpcap rejects, a missing device). The CLI turns them into one line and
 * exit code 2; they live here, not in src/cli, so sources need not import the CLI.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
