/**
 * Stand-in for `vue` (not installed here): the types Kassa's Vue declarations use, shaped as in Vue 3.5
 * (@vue/runtime-core `GlobalComponents`, `EmitFn`, `PublicProps`; @vue/runtime-dom `HTMLAttributes`, shortened).
 */
type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;

// Empty in Vue too: libraries and apps add their components to it.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface GlobalComponents {}

export interface HTMLAttributes {
  class?: unknown;
  style?: unknown;
  id?: string;
  lang?: string;
  title?: string;
  hidden?: boolean | 'true' | 'false' | '' | 'hidden' | 'until-found';
  tabindex?: number | string;
}

export type PublicProps = { key?: PropertyKey; ref?: unknown; ref_for?: boolean; ref_key?: string };

export type EmitFn<Options = Record<string, unknown>, Event extends keyof Options = keyof Options> =
  Options extends Array<infer V>
    ? (event: V, ...args: unknown[]) => void
    : // eslint-disable-next-line @typescript-eslint/no-empty-object-type
      {} extends Options
      ? (event: string, ...args: unknown[]) => void
      : UnionToIntersection<
          {
            [Key in Event]: Options[Key] extends (...args: infer Args) => unknown
              ? (event: Key, ...args: Args) => void
              : (event: Key, ...args: unknown[]) => void;
          }[Event]
        >;
