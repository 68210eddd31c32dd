import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The first line of a migration that runs outside a transaction, one
 * statement at a time: CREATE and DROP INDEX CONCURRENTLY refuse to run in a
 * transaction block or in a multi-statement query, and building an index on
 * a big table any other way blocks its writers for the whole build.
 */
export const NO_TRANSACTION = '-- herald:no-transaction';

export interface Migration {
  id: number;
  /** The file name, recorded in the migrations table. */
  name: string;
  sql: string;
  transactional: boolean;
}

/** The numbered `.sql` files of `dir`, in the order they apply. */
export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name), 'utf8');
      return {
        id: Number.parseInt(name, 10),
        name,
        sql,
        transactional: !sql.startsWith(NO_TRANSACTION),
      };
    });
}

// Comments, quoted strings and quoted identifiers are single tokens, so a
// semicolon inside one never splits. What this splitter does not parse (dollar
// quoting, block comments, an unterminated quote) is refused, not split wrongly.
const TOKEN = /--[^\n]*|'(?:[^']|'')*'|"(?:[^"]|"")*"|;|\/\*|[$'"]|[^-'";$/]+|[-/]/gy;

/** The statements of a migration, without their comments. */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  for (const [token] of sql.matchAll(TOKEN)) {
    if (token === '/*' || (token.length === 1 && '$\'"'.includes(token)))
      throw new Error(
        `cannot split a migration at ${token}: no dollar quoting, block comment or unterminated quote`,
      );
    if (token.startsWith('--')) continue;
    if (token === ';') {
      statements.push(current.trim());
      current = '';
    } else current += token;
  }
  statements.push(current.trim());
  return statements.filter((statement) => statement !== '');
}
