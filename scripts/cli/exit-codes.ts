/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, usage: 2, rejected: 3, unreachable: 4, failed: 5 } as const;

export class CliError extends Error {
  constructor(readonly exitCode: number, message: string) {
    super(message);
  }
}
