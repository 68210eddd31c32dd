/**
 * V8 flags `herald serve` runs with; V8 reads them only at start-up. It sizes
 * its heap for the machine's memory, not for what Herald needs (a live heap
 * of ~35 MB), and a busy node keeps what it grew:
 * - the young generation grows to 2 × 64 MiB on a 24 GiB host; 2 × 16 MiB
 *   keeps RSS ~96 MB lower. Scavenges come four times as often and cost about
 *   the same each (they copy what is in flight, not the space's size);
 * - the old generation is collected only once it holds up to 4 × the live
 *   heap, so promoted garbage climbs ~1.6 MB/s under load for minutes; letting
 *   it grow 25 % past the live heap keeps RSS flat (a major GC every few seconds).
 */
export const NODE_FLAGS = ['--max-semi-space-size=16', '--heap-growing-percent=25'];

/**
 * Restarts this process in place (same pid, same stdio, so signals and
 * `kill -9` reach the same process) with NODE_FLAGS, which V8 reads only at
 * start-up, unless it already has them or the operator chose their own
 * (on the command line or in NODE_OPTIONS). A process with an IPC channel
 * is left alone: the channel would not survive the exec.
 */
export function execWithNodeFlags(): void {
  const given = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  const missing = NODE_FLAGS.filter((flag) => !given.includes(flag.split('=')[0]!));
  if (missing.length === 0 || process.send || typeof process.execve !== 'function') return;
  try {
    process.execve(process.execPath, [
      process.execPath,
      ...missing,
      ...process.execArgv,
      ...process.argv.slice(1),
    ]);
  } catch {
    // Only memory is at stake: serve with V8's defaults rather than not at all.
  }
}
