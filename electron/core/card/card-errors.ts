/** What can go wrong with a card, as stable codes the renderer puts into the clinician's words. */
export type CardErrorCode =
  | 'MODULE_NOT_LOADED'
  | 'TOKEN_NOT_FOUND'
  | 'CARD_REMOVED'
  | 'PIN_INCORRECT'
  | 'PIN_INCORRECT_FEW_TRIES_LEFT'
  | 'PIN_INCORRECT_FINAL_TRY_NEXT'
  | 'PIN_LOCKED'
  | 'PIN_INVALID_FORMAT'
  | 'NOT_LOGGED_IN'
  | 'KEY_NOT_FOUND'
  | 'CARD_FAILURE';

export class CardError extends Error {
  override readonly name = 'CardError';
  constructor(
    readonly code: CardErrorCode,
    message: string,
  ) {
    super(message);
  }
}
