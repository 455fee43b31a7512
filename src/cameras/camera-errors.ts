// Expected failures of camera management, shared by GraphQL (typed result
// members) and REST (409 with { detail }).
import { ConflictError } from '../domain/errors.js';

export class CameraNameTakenError extends ConflictError {
  constructor(readonly cameraName: string) {
    super(`A camera named "${cameraName}" already exists`);
    this.name = 'CameraNameTakenError';
  }
}
