import type { InStatement } from '@libsql/client';

/** A condition that must hold for the batch to commit (CHECK holds = 1 on invariant_guards). */
export const guard = (name: string, condition: string, args: (string | number | null)[] = []): InStatement =>
  ({ sql: `INSERT INTO invariant_guards (name, holds) SELECT ?, (${condition})`, args: [name, ...args] });

export const movedOne = (name: string) => guard(name, 'changes() = 1');

export const clearGuards: InStatement = 'DELETE FROM invariant_guards';
