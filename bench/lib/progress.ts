/** Progress on stderr: one rewritten line on a terminal, a line every few seconds otherwise. */
const tty = process.stderr.isTTY === true;
let lastLineAt = 0;
const started = performance.now();

export const elapsed = () => ((performance.now() - started) / 1000).toFixed(1).padStart(5);

export function progress(text: string): void {
  if (process.env.BENCH_SILENT) return;
  if (tty) {
    process.stderr.write(`\r\x1b[2K[${elapsed()}s] ${text}`);
    return;
  }
  const now = performance.now();
  if (now - lastLineAt < 2000) return;
  lastLineAt = now;
  process.stderr.write(`[${elapsed()}s] ${text}\n`);
}

/** A line that stays (a phase starting or finishing). */
export function say(text: string): void {
  if (process.env.BENCH_SILENT) return;
  process.stderr.write(`${tty ? '\r\x1b[2K' : ''}[${elapsed()}s] ${text}\n`);
  lastLineAt = 0;
}
