import type { z } from 'zod';

/** A call from the renderer to core: one zod schema for what goes in, one for what comes back. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly description: string;
  readonly input: I;
  readonly output: O;
}

/** An event core pushes to the renderer. */
export interface EventSpec<P extends z.ZodType = z.ZodType> {
  readonly description: string;
  readonly payload: P;
}

export const defineCall = <I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>): CallSpec<I, O> =>
  spec;
export const defineEvent = <P extends z.ZodType>(spec: EventSpec<P>): EventSpec<P> => spec;
