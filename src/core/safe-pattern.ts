/**
 * Provider-supplied patterns (MilkyPay service field `regexp`) are untrusted: on a backtracking engine such as the
 * native RegExp, `^(a+)+$` or `^\d+\d+\d+\d+\d+$` takes exponential or high-polynomial time on a crafted input and
 * would freeze the page or the endpoint. Kassa runs them on re2js (RE2's automata), whose matching time is linear
 * in the input, on values of bounded length, with a bound on the compiled program too (the other factor of that
 * linear cost).
 *
 * A pattern re2js cannot compile — JavaScript syntax RE2 has no linear-time form for (backreferences, lookahead and
 * lookbehind), a repeat count over 1,000, an over-long or over-large pattern — is not applied; the provider
 * validates the value again on its side. Otherwise a pattern answers as RegExp#test would (a match anywhere, so
 * providers anchor with `^…$`), with RE2's few differences: `\s` is ASCII whitespace only, `.` excludes only `\n`.
 */
import { RE2JS } from 're2js';

/** Longest pattern Kassa will compile. */
export const MAX_PATTERN_LENGTH = 256;
/** Longest value a pattern is tested against. */
export const MAX_VALUE_LENGTH = 256;
/**
 * Largest compiled program (RE2 instructions) Kassa will run: a test costs up to value length × program size.
 * Real patterns are far below it (an e-mail pattern with counted repeats is about 800).
 */
export const MAX_PROGRAM_SIZE = 5_000;

/** A compiled provider pattern. */
export interface SafePattern {
  /** Whether the pattern matches anywhere in `value` (RegExp#test semantics), in time linear in its length. */
  test(value: string): boolean;
}

/** Compiling costs far more than a test (up to ~100 ms for a large pattern), and the page tests on each keystroke. */
const compiled = new Map<string, SafePattern | undefined>();
const MAX_COMPILED = 64;

/** Returns the compiled pattern, or undefined when it is too long, invalid, or uses syntax re2js does not run. */
export function compileSafePattern(pattern: string): SafePattern | undefined {
  if (typeof pattern !== 'string' || !pattern || pattern.length > MAX_PATTERN_LENGTH) return undefined;
  if (compiled.has(pattern)) return compiled.get(pattern);
  const result = compileWithRe2(pattern);
  // The oldest entry goes first: a provider lists a handful of patterns, so this only bounds a hostile one.
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
  compiled.set(pattern, result);
  return result;
}

/** Whether `value` passes `pattern`; a pattern Kassa cannot run passes everything (see above), an over-long value fails. */
export function matchesSafePattern(pattern: string | undefined, value: string): boolean {
  if (!pattern) return true;
  if (value.length > MAX_VALUE_LENGTH) return false;
  const compiledPattern = compileSafePattern(pattern);
  return compiledPattern ? compiledPattern.test(value) : true;
}

function compileWithRe2(pattern: string): SafePattern | undefined {
  const { source, flags } = stripSlashes(pattern);
  try {
    // translateRegExp rewrites JavaScript-only spellings RE2 lacks (`\u0430`, `(?<name>…)`, `[^]`).
    const re = RE2JS.compile(RE2JS.translateRegExp(source), re2Flags(flags));
    return re.programSize() <= MAX_PROGRAM_SIZE ? re : undefined;
  } catch {
    return undefined;
  }
}

/** Providers write patterns both bare (`^\d+$`) and in slashes (`/^\d+$/i`). */
function stripSlashes(pattern: string): { source: string; flags: string } {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  return m ? { source: m[1]!, flags: m[2]! } : { source: pattern, flags: '' };
}

/** JavaScript's i, m and s; other flags are ignored (g and d change nothing for a single test). */
function re2Flags(flags: string): number {
  let result = 0;
  if (flags.includes('i')) result |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) result |= RE2JS.MULTILINE;
  if (flags.includes('s')) result |= RE2JS.DOTALL;
  return result;
}
