// Typed failures of image decoding. `code` is stable and survives the worker
// boundary (the pool rebuilds errors with their name and code); `status` is
// the HTTP status the REST layer should answer with.

export type ImageDecodeErrorCode = 'INVALID_IMAGE' | 'IMAGE_TOO_LARGE';

export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';
  readonly status: number;
  constructor(
    readonly code: ImageDecodeErrorCode,
    message: string,
    readonly details: { width?: number; height?: number; maxPixels?: number; bytes?: number } = {},
  ) {
    super(message);
    this.status = code === 'IMAGE_TOO_LARGE' ? 413 : 400;
  }
}

export function isImageDecodeError(err: unknown): err is ImageDecodeError {
  return (
    err instanceof Error &&
    err.name === 'ImageDecodeError' &&
    ((err as { code?: unknown }).code === 'INVALID_IMAGE' || (err as { code?: unknown }).code === 'IMAGE_TOO_LARGE')
  );
}
