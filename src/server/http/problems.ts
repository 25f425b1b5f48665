/** The endpoint's answers: `application/problem+json` (RFC 9457) for every failure, JSON for the rest. */
import { PROBLEMS, problemType, type ProblemCode } from '../../core/problems.ts';

/** Thrown anywhere in a route to answer a problem; the handler turns it into `application/problem+json`. */
export class HttpProblem extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
    /** Extension members of the problem (RFC 9457 §3.2), e.g. the `payment` an `order-already-paid` names. */
    readonly members: Record<string, string> = {},
  ) {
    super(detail ?? PROBLEMS[code].title);
  }
}

/** A problem as status, headers and body text (kept as is for idempotent replays). */
export function problemParts(problem: HttpProblem): { status: number; headers: Record<string, string>; body: string } {
  const { status, title } = PROBLEMS[problem.code];
  const body: Record<string, unknown> = { ...problem.members, type: problemType(problem.code), title, status };
  if (problem.detail) body.detail = problem.detail;
  if (problem.field) body.field = problem.field;
  return { status, headers: { 'content-type': 'application/problem+json', ...problem.headers }, body: JSON.stringify(body) };
}

export function problemResponse(problem: HttpProblem): Response {
  const { status, headers, body } = problemParts(problem);
  return new Response(body, { status, headers: { ...headers, 'cache-control': 'no-store' } });
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}
