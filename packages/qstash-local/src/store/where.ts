/** Collects SQL conditions with their parameters; values come from validated filters. */
export class WhereBuilder {
  private readonly conditions: string[] = [];
  readonly params: unknown[] = [];

  /** column IN (values); skipped when no value is given. */
  anyOf(
    column: string,
    values: ReadonlyArray<string | number> | undefined,
  ): this {
    if (values === undefined || values.length === 0) return this;
    this.conditions.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    this.params.push(...values);
    return this;
  }

  equals(column: string, value: string | number | undefined): this {
    if (value === undefined) return this;
    this.conditions.push(`${column} = ?`);
    this.params.push(value);
    return this;
  }

  atLeast(column: string, value: number | undefined): this {
    if (value === undefined) return this;
    this.conditions.push(`${column} >= ?`);
    this.params.push(value);
    return this;
  }

  atMost(column: string, value: number | undefined): this {
    if (value === undefined) return this;
    this.conditions.push(`${column} <= ?`);
    this.params.push(value);
    return this;
  }

  below(column: string, value: number | undefined): this {
    if (value === undefined) return this;
    this.conditions.push(`${column} < ?`);
    this.params.push(value);
    return this;
  }

  /** Matches rows whose JSON array column holds any of the labels. */
  hasAnyLabel(column: string, labels: readonly string[] | undefined): this {
    if (labels === undefined || labels.length === 0) return this;
    this.conditions.push(
      `EXISTS (SELECT 1 FROM json_each(${column}) WHERE json_each.value IN (${labels
        .map(() => '?')
        .join(', ')}))`,
    );
    this.params.push(...labels);
    return this;
  }

  /** Matches rows whose column starts with any of the prefixes. */
  startsWithAny(column: string, prefixes: readonly string[] | undefined): this {
    if (prefixes === undefined || prefixes.length === 0) return this;
    this.conditions.push(
      `(${prefixes.map(() => `substr(${column}, 1, ?) = ?`).join(' OR ')})`,
    );
    for (const prefix of prefixes) this.params.push(prefix.length, prefix);
    return this;
  }

  raw(condition: string, ...params: unknown[]): this {
    this.conditions.push(condition);
    this.params.push(...params);
    return this;
  }

  get sql(): string {
    return this.conditions.length
      ? `WHERE ${this.conditions.join(' AND ')}`
      : '';
  }
}
