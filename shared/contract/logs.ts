import { z } from 'zod';

/**
 * What the renderer may put into the workstation's log. No free text: the message is a short
 * lowercase event name ("chart render failed"), context values are numbers, booleans or short
 * code-like strings, and an error is its type and stack (its message stays in the renderer).
 * Core redacts again on top of this (electron/core/logging/redact.ts).
 */
export const logWriteLevels = ['debug', 'info', 'warn', 'error'] as const;

const codeLike = z.string().max(100).regex(/^[A-Za-z0-9_.:/#-]*$/, 'code-like: letters, digits and _.:/#- only');

export const logWriteInputSchema = z
  .object({
    level: z.enum(logWriteLevels),
    message: z
      .string()
      .min(1)
      .max(120)
      .regex(/^[a-z][a-z0-9 ._:-]*$/, 'a lowercase event name, not free text'),
    context: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/), z.union([z.number(), z.boolean(), codeLike]))
      .refine((record) => Object.keys(record).length <= 20, 'at most 20 context fields')
      .optional(),
    error: z
      .object({
        name: codeLike,
        stack: z.string().max(8000).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type LogWriteInput = z.infer<typeof logWriteInputSchema>;

export const logWriteOutputSchema = z.object({
  /** False when the renderer wrote too much too fast and this line was dropped (counted in the log). */
  accepted: z.boolean(),
});

export const logExportInputSchema = z
  .object({
    /** The last this many days (default 7). */
    days: z.number().int().min(1).max(30).optional(),
  })
  .strict();

export const logExportOutputSchema = z.object({
  /** Where the zip was written, to tell IT or open the folder. */
  path: z.string().max(4000),
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
export type LogExportResult = z.infer<typeof logExportOutputSchema>;
