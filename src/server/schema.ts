/**
 * How Kassa's types speak of validation, without naming the library that does it: a provider's configuration
 * schema as Kassa calls it, and the problem it reports. The package's declarations use these, so a shop's type
 * check never loads the validation library's own declarations.
 */

/** One thing wrong with a value: where (`path`) and what (`message`); `code` and `keys` for unknown options. */
export interface KassaSchemaIssue {
  readonly path: ReadonlyArray<PropertyKey>;
  readonly message: string;
  readonly code?: string;
  readonly keys?: ReadonlyArray<string>;
}

/** Why a value was refused: its issues, the first one first. */
export interface KassaSchemaError {
  /** Every issue in one line. */
  readonly message: string;
  readonly issues: ReadonlyArray<KassaSchemaIssue>;
}

/** A schema that checks a configuration value and gives it back with its defaults applied. */
export interface KassaSchema<Output> {
  safeParse(value: unknown): { success: true; data: Output; error?: undefined } | { success: false; error: KassaSchemaError; data?: undefined };
  /** Throws when the value is refused. */
  parse(value: unknown): Output;
}

/** `true` when A and B name the same properties and accept the same values, each assignable to the other. */
export type SameShape<A, B> = [A, keyof A] extends [B, keyof B] ? ([B, keyof B] extends [A, keyof A] ? true : false) : false;
/** Compiles only for `true`: how a hand-written type is held to what its schema takes or gives. */
export type Holds<T extends true> = T;
