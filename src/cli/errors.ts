import { CaptureFormatError } from '../source/packet-record.js';
import { UsageError } from '../errors.js';

export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;

export { UsageError } from '../errors.js';

/**
 * Turns any error into one clear line on stderr and an exit code. Only a bug
 * in zsniff itself gets a stack trace, and only with ZSNIFF_DEBUG set.
 */
export function reportError(err: unknown): number {
  if (err instanceof CaptureFormatError || err instanceof UsageError) {
    // Damage in several files of a set is one line per file.
    for (const line of err.message.split('\n')) process.stderr.write(`zsniff: ${line}\n`);
    return ExitCode.Usage;
  }
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    // System errors (ENOENT, EACCES, EPIPE...) are about the user's files or pipes.
    if (e.code === 'EPIPE') return ExitCode.Ok;
    const where = e.path ? `${e.path}: ` : '';
    const what = systemErrorText(e);
    process.stderr.write(`zsniff: ${where}${what}\n`);
    return ExitCode.Usage;
  }
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`zsniff: internal error: ${msg}\n`);
  if (process.env.ZSNIFF_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('zsniff: (set ZSNIFF_DEBUG=1 for details, and please report this)\n');
  return ExitCode.Usage;
}

const SYSTEM_ERROR_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory, not a capture file',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
};

/** A system error in words, without Node's "CODE: ..., open 'path'" wrapping when the code is a common one. */
export function systemErrorText(err: NodeJS.ErrnoException): string {
  return SYSTEM_ERROR_TEXT[err.code ?? ''] ?? err.message;
}
