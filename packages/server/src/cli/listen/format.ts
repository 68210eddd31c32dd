import type { Captured } from './inspector.ts';

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
}

const paint = (code: number) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
export const COLORS: Style = {
  bold: paint(1),
  dim: paint(2),
  green: paint(32),
  red: paint(31),
  yellow: paint(33),
};
const same = (text: string) => text;
export const PLAIN: Style = { bold: same, dim: same, green: same, red: same, yellow: same };

/**
 * Control characters shown as escapes: a request's bytes must not drive the
 * terminal (any web page can POST to 127.0.0.1). JSON bodies are printed
 * through JSON.stringify, which escapes them already.
 */
function visible(text: string): string {
  return text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

function indent(text: string, by = '    '): string {
  return text
    .split('\n')
    .map((line) => by + line)
    .join('\n');
}

/** The signature line: ✓ when it verifies, ✗ with the reason, or why it was not checked. */
export function signatureLine(entry: Captured, style: Style): string {
  const { signature } = entry;
  if (signature.state === 'valid') return style.green('✓ valid');
  if (signature.state === 'invalid') {
    return style.red(`✗ ${signature.code}: ${signature.message}`);
  }
  return style.dim('not checked (start with --secret whsec_… to verify)');
}

/** One captured request as the terminal shows it. */
export function formatRequest(entry: Captured, style: Style): string {
  const lines: string[] = [];
  const duplicate =
    entry.duplicateOf === null ? '' : `  ${style.yellow(`duplicate of #${entry.duplicateOf}`)}`;
  lines.push(
    `${style.bold(`#${entry.number} ${entry.method} ${entry.path}`)}  ${style.dim(entry.receivedAt)}${duplicate}`,
  );
  if (entry.webhookId !== null || entry.eventType !== null) {
    lines.push(
      `  event type: ${entry.eventType ?? '–'}   attempt: ${entry.attempt ?? '–'}   webhook-id: ${entry.webhookId ?? '–'}`,
    );
  }
  lines.push(`  signature: ${signatureLine(entry, style)}`);
  lines.push('  headers:');
  for (const [name, value] of Object.entries(entry.headers)) {
    lines.push(`    ${style.dim(`${name}:`)} ${visible(value)}`);
  }
  if (entry.body.length > 0) {
    lines.push('  body:');
    lines.push(
      indent(entry.json === undefined ? visible(entry.body) : JSON.stringify(entry.json, null, 2)),
    );
  }
  const answer = `→ answered ${entry.status}`;
  lines.push(`  ${entry.status < 300 ? style.green(answer) : style.red(answer)}`);
  return `${lines.join('\n')}\n`;
}
