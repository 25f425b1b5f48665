/**
 * Provider-supplied patterns (MilkyPay service field `regexp`) are untrusted: a pattern such as `^(a+)+$` takes
 * exponential time on a crafted input and would freeze the page or the endpoint. Kassa compiles a provider pattern
 * only when it is short and has no quantified group that itself contains a quantifier (the shape behind
 * catastrophic backtracking), and it tests only bounded input. A pattern it refuses is not applied; the provider
 * validates the value again on its side.
 */

/** Longest pattern Kassa will compile. */
export const MAX_PATTERN_LENGTH = 256;
/** Longest value a pattern is tested against. */
export const MAX_VALUE_LENGTH = 256;

/** Returns a compiled pattern, or undefined when the pattern is too long, invalid or could backtrack catastrophically. */
export function compileSafePattern(pattern: string): RegExp | undefined {
  if (typeof pattern !== 'string' || !pattern || pattern.length > MAX_PATTERN_LENGTH) return undefined;
  if (hasNestedQuantifier(pattern) || /\\[1-9]/.test(pattern)) return undefined;
  const body = stripSlashes(pattern);
  try {
    return new RegExp(body.source, body.flags.replace(/[^imsu]/g, ''));
  } catch {
    return undefined;
  }
}

/** Whether `value` passes `pattern`; a refused pattern passes everything (see above), an over-long value fails. */
export function matchesSafePattern(pattern: string | undefined, value: string): boolean {
  if (!pattern) return true;
  if (value.length > MAX_VALUE_LENGTH) return false;
  const re = compileSafePattern(pattern);
  return re ? re.test(value) : true;
}

/** Providers write patterns both bare (`^\d+$`) and in slashes (`/^\d+$/i`). */
function stripSlashes(pattern: string): { source: string; flags: string } {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  return m ? { source: m[1]!, flags: m[2]! } : { source: pattern, flags: '' };
}

/**
 * Scans groups: a group that contains a quantifier (or an alternation) and is itself followed by a quantifier is
 * refused. Escapes and character classes are skipped so `[+*]` and `\+` are not mistaken for quantifiers.
 */
function hasNestedQuantifier(pattern: string): boolean {
  const stack: Array<{ quantified: boolean; alternation: boolean }> = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '[') {
      i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i++;
      if (isQuantifierAt(pattern, i) && stack.length) stack[stack.length - 1]!.quantified = true;
      continue;
    }
    if (c === '(') {
      stack.push({ quantified: false, alternation: false });
      i++;
      continue;
    }
    if (c === '|' && stack.length) stack[stack.length - 1]!.alternation = true;
    if (c === ')') {
      const group = stack.pop();
      i++;
      if (group && isQuantifierAt(pattern, i) && (group.quantified || group.alternation)) return true;
      if (group && stack.length && (group.quantified || isQuantifierAt(pattern, i))) stack[stack.length - 1]!.quantified = true;
      continue;
    }
    if (isQuantifierAt(pattern, i) && stack.length) stack[stack.length - 1]!.quantified = true;
    i++;
  }
  return false;
}

function isQuantifierAt(pattern: string, i: number): boolean {
  const c = pattern[i];
  if (c === '*' || c === '+') return true;
  if (c === '{') return /^\{\d+(,\d*)?\}/.test(pattern.slice(i));
  return false;
}
