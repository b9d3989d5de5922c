import type { CardFailureCode } from '../../../shared/contract';

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

/** A card error as the contract names it for the clinician (login and signing answer alike). */
export const cardFailureCode = (error: unknown): CardFailureCode => {
  if (error instanceof CardError) {
    switch (error.code) {
      case 'PIN_INCORRECT':
      case 'PIN_INCORRECT_FEW_TRIES_LEFT':
      case 'PIN_INCORRECT_FINAL_TRY_NEXT':
      case 'PIN_LOCKED':
      case 'PIN_INVALID_FORMAT':
        return error.code;
      case 'TOKEN_NOT_FOUND':
      case 'CARD_REMOVED':
        return 'NO_CARD';
      case 'MODULE_NOT_LOADED':
      case 'NOT_LOGGED_IN':
      case 'KEY_NOT_FOUND':
      case 'CARD_FAILURE':
        return 'CARD_FAILURE';
    }
  }
  return 'CARD_FAILURE';
};
