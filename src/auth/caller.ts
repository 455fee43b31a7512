// Who is making a request, resolved from the API key before any handler runs.
import type { ApiKeyId, CameraId } from '../domain/ids.js';
import type { Role } from './permissions.js';

export interface Caller {
  apiKeyId: ApiKeyId;
  name: string;
  role: Role;
  /** The camera a kiosk key is bound to; kiosks read only this camera's results. */
  cameraId: CameraId | null;
}

/** How audit rows name the actor. */
export function actorOf(caller: Caller | null): string {
  return caller === null ? 'system' : `api-key:${caller.apiKeyId}:${caller.name}`.slice(0, 128);
}
