// Where a camera runs. Alone, a server runs every enabled camera itself (the
// camera service's own behaviour, no placement). With several instances a
// placement decides which instance captures which camera (the Redis leases of
// src/cluster/camera-ownership.ts), and the camera service hands it the
// operations on this process's cameras and routes start/stop through it.
import type { CameraInfo } from './camera-info.js';

/** What the placement may do to the cameras of this process. */
export interface LocalCameras {
  /** Starts (or restarts) a stored camera here. */
  launch(id: number): Promise<CameraInfo>;
  /** Stops it here; `forget` also drops its info (it moved away or was deleted). */
  halt(id: number, forget: boolean): Promise<void>;
  /** Re-reads the row and applies it to a camera running here: 'gone' (deleted), 'disabled' (stopped), 'running'. */
  apply(id: number): Promise<'gone' | 'disabled' | 'running'>;
  /** This process's info of a camera it runs or ran. */
  info(id: number): CameraInfo | undefined;
  /** Ids of the enabled cameras. */
  enabled(): Promise<number[]>;
}

export interface CameraPlacement {
  /** From now on cameras are started and stopped here through `local` (the camera service's boot). */
  start(local: LocalCameras): Promise<void>;
  /** Stops the cameras held here and lets the others take them at once. */
  stop(): Promise<void>;
  /** A camera row changed or was deleted, through this instance. */
  changed(id: number): Promise<void>;
  /** startCamera from any instance: done by the camera's owner (or here, when nobody holds it). */
  startCamera(id: number): Promise<CameraInfo>;
  /** stopCamera from any instance: done by the owner; undefined when nobody runs it. */
  stopCamera(id: number): Promise<CameraInfo | undefined>;
  /** The instance that captures the camera, or null. */
  owner(id: number): string | null;
  /** The owner's last published info, when another instance owns the camera. */
  remoteInfo(id: number): CameraInfo | undefined;
}
