/**
 * A value the collector fills in from its environment when it loads the
 * configuration: rendered as `${env:NAME}`, the one `$` that is not escaped.
 */
export class EnvReference {
  public constructor(
    /** Name of the environment variable. */
    public readonly name: string,
  ) {}

  /** The reference as the collector reads it. */
  public toString(): string {
    return `\${env:${this.name}}`;
  }

  /** The same text in JSON, so a JSON copy of the model reads like the rendered file. */
  public toJSON(): string {
    return this.toString();
  }
}
