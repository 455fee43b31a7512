// Expected failures of recognize(): the bytes are not an image we can decode.
// (Bad base64 is a ValidationError; an image over MAX_IMAGE_PIXELS a PayloadTooLargeError.)
import { DomainError, type DomainErrorCode } from '../domain/errors.js';

export class InvalidImageError extends DomainError {
  readonly code: DomainErrorCode = 'INVALID_IMAGE';
  readonly status = 400;
  constructor(message = 'frame is not a decodable JPEG, PNG or WebP image') {
    super(message);
    this.name = 'InvalidImageError';
  }
}
