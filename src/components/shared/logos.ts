/**
 * Kassa's logo marks live in their own chunk (`logos-marks.ts`: which logo a method shows, and the SVG marks), loaded
 * after the first paint, so they cost the initial bundle nothing; elements keep an empty space of the same size until
 * then.
 */
import { retryableImport } from '../../core/retryable-import.ts';

export type LogoMarks = typeof import('./logos-marks.ts');

const importMarks = retryableImport(() => import('./logos-marks.ts'));
let marks: LogoMarks | undefined;

/** The marks once their chunk has loaded (shared by every element on the page); undefined before. */
export function loadedLogoMarks(): LogoMarks | undefined {
  return marks;
}

/** Loads the marks' chunk; a failed load (offline) is tried again on the next call. */
export function loadLogoMarks(): Promise<LogoMarks> {
  return importMarks().then((module) => (marks = module));
}
