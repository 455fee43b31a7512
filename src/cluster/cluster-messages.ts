// Messages between the server instances of one deployment that are requests
// to one instance (or a notice to all), not domain events: a camera command
// must reach the camera's owner and be answered. Domain events (recognized,
// attendanceLogged, ...) go through the typed pub/sub in src/events instead.
import type { CameraInfo } from '../cameras/camera-info.js';
import type { InstanceId } from './instance-id.js';

export type CameraAction = 'start' | 'stop';

export type ClusterRequest = { kind: 'camera.command'; cameraId: number; action: CameraAction };

export type ClusterReply =
  | { kind: 'camera.info'; info: CameraInfo }
  /** The receiver could not do it: `status` and `message` of the domain error it raised. */
  | { kind: 'error'; status: number; code: string; message: string };

export type ClusterNotice =
  /** A camera row changed (settings, enabled, deleted): its owner applies it, the others look again. */
  { kind: 'camera.changed'; cameraId: number }
  /** An instance stops: its cameras are free now, not when their leases run out. */
  | { kind: 'instance.leaving'; instanceId: InstanceId };

export type Envelope =
  | { type: 'request'; id: string; from: InstanceId; body: ClusterRequest }
  | { type: 'reply'; id: string; from: InstanceId; body: ClusterReply }
  | { type: 'notice'; from: InstanceId; body: ClusterNotice };
