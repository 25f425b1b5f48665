/**
 * How every benchmark prints a figure: a readable line and, when `KASSA_BENCH_SUMMARY` is set (by bench/run.mjs),
 * a machine line (`BENCH\t…`) that run.mjs gathers into the final summary table. A figure with a budget prints PASS
 * or OVER (UNDER for a minimum); one without prints `info`.
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The most the figure may be; PASS when `value <= budget`. */
  budget?: number;
  /** The least the figure may be (throughput); PASS when `value >= min`. */
  min?: number;
  note?: string;
}

export function report(figure: Figure): boolean {
  const verdict =
    figure.budget !== undefined ? (figure.value <= figure.budget ? 'PASS' : 'OVER') : figure.min !== undefined ? (figure.value >= figure.min ? 'PASS' : 'UNDER') : 'info';
  const value = `${format(figure.value)} ${figure.unit}`;
  const budget =
    figure.budget !== undefined ? `budget ≤ ${format(figure.budget)} ${figure.unit}` : figure.min !== undefined ? `budget ≥ ${format(figure.min)} ${figure.unit}` : '';
  console.log(`  ${figure.name.padEnd(56)} ${value.padStart(14)}  ${budget.padEnd(22)} ${verdict}${figure.note ? `  (${figure.note})` : ''}`);
  if (process.env.KASSA_BENCH_SUMMARY) console.log(['BENCH', figure.name, value, budget || '—', verdict].join('\t'));
  return verdict === 'PASS' || verdict === 'info';
}

export function format(n: number): string {
  if (Number.isInteger(n) || Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(Math.abs(n) >= 10 ? 1 : 2);
}

/** The p-th percentile (0–100) of a list, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** A number given on the command line as `--name value`, or `fallback`. */
export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
