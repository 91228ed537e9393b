/**
 * What the share kit throws when a caller hands it something it cannot draw. The `code` is stable
 * so a route can map it to its own response (usually VALIDATION_FAILED) without reading messages;
 * these are programming or input mistakes, never something to retry.
 */
export type ShareKitErrorCode =
  | 'QR_TEXT_EMPTY'
  | 'QR_TEXT_TOO_LONG'
  | 'QR_OPTIONS_INVALID'
  | 'PNG_INPUT_INVALID'
  | 'POSTER_INPUT_INVALID'
  | 'MONEY_INVALID';

export class ShareKitInputError extends Error {
  readonly code: ShareKitErrorCode;
  constructor(code: ShareKitErrorCode, message: string) {
    super(message);
    this.name = 'ShareKitInputError';
    this.code = code;
  }
}
