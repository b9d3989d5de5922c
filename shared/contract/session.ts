import { z } from 'zod';

/**
 * The clinician's session as the renderer sees it. `no-card` means no card (or no test card) is
 * configured or inserted; `logged-out` a card is there and waits for its PIN; `active` the journal
 * accepted the card login; `locked` the card left its reader (or the clinician locked the screen).
 */
export const sessionStates = ['no-card', 'logged-out', 'active', 'locked'] as const;

export const sessionStatusSchema = z.object({
  state: z.enum(sessionStates),
  /** The card in the reader; `isTest` marks the software TEST card of the demo mode, shown on every screen. */
  card: z.object({ label: z.string().max(64), isTest: z.boolean() }).optional(),
  /** Who is logged in, from the card's authentication certificate. */
  clinician: z.object({ name: z.string().max(200), hpr: z.string().regex(/^\d{1,9}$/) }).optional(),
  /** The journal API this workstation logs in to. */
  journalUrl: z.string().max(2000).optional(),
  /**
   * That journal is the embedded demo journal (synthetic patients only): the renderer shows the
   * amber DEMO banner on every screen with patient data.
   */
  demoJournal: z.boolean().optional(),
  /**
   * Logged in with the card and PIN alone, because the journal could not be reached: the
   * clinician's own encrypted cache opens (it is bound to their card), changes wait in the outbox,
   * and the journal login completes by itself when the journal answers again.
   */
  offline: z.boolean().optional(),
});
export type SessionStatus = z.infer<typeof sessionStatusSchema>;

/**
 * Why a login did not succeed, as codes the renderer puts into the clinician's words. The tries
 * left come from the card, so "few tries left" and "final try" warn before the PIN locks.
 */
/** What the card itself can answer to a PIN: the same for a login and for a signature. */
export const cardFailureCodes = [
  'PIN_INCORRECT',
  'PIN_INCORRECT_FEW_TRIES_LEFT',
  'PIN_INCORRECT_FINAL_TRY_NEXT',
  'PIN_LOCKED',
  'PIN_INVALID_FORMAT',
  'NO_CARD',
  'CARD_FAILURE',
] as const;
export type CardFailureCode = (typeof cardFailureCodes)[number];

/** A PIN as it crosses the contract: never stored, never logged. */
export const pinSchema = z.string().regex(/^\d{4,12}$/, 'a PIN is 4 to 12 digits');

export const loginFailureCodes = [
  ...cardFailureCodes,
  /** The journal refused the card (unknown clinician, revoked, TEST card on a real server …). */
  'LOGIN_REFUSED',
  /** The journal could not be reached. */
  'JOURNAL_UNREACHABLE',
  /** Someone is logged in, or a login is under way: lock first. */
  'ALREADY_ACTIVE',
] as const;

export const sessionLoginInputSchema = z
  .object({
    /** Crosses from the PIN dialog to core once per login. */
    pin: pinSchema,
  })
  .strict();

export const sessionLoginOutputSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), status: sessionStatusSchema }),
  z.object({
    ok: z.literal(false),
    code: z.enum(loginFailureCodes),
    /** The journal's own reason for a refused login (no patient data ever passes through login). */
    detail: z.string().max(500).optional(),
    status: sessionStatusSchema,
  }),
]);
export type SessionLoginOutput = z.infer<typeof sessionLoginOutputSchema>;
export type LoginFailureCode = (typeof loginFailureCodes)[number];
