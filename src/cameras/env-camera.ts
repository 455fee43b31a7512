// The camera given in the environment (CAMERA_SOURCE and friends), so a
// single-door install runs without any API call. The caller upserts it into
// the Camera table (to get an id) and hands the spec to CameraManager.start.
import type { Config } from '../config.js';
import { parseCameraSource, type CameraSource, type ParseSourceResult } from './source.js';

export interface EnvCamera {
  name: string;
  source: CameraSource;
  /** The text to store in Camera.source. */
  sourceText: string;
  width: number;
  height: number;
  fps: number;
  predictInterval: number;
}

export const ENV_CAMERA_NAME = 'default';

export type EnvCameraResult = { kind: 'none' } | { kind: 'camera'; camera: EnvCamera } | { kind: 'invalid'; error: string };

export function envCamera(config: Pick<Config, 'CAMERA_SOURCE' | 'CAMERA_LOOP' | 'CAMERA_WIDTH' | 'CAMERA_HEIGHT' | 'CAMERA_FPS' | 'PREDICT_INTERVAL'>): EnvCameraResult {
  if (config.CAMERA_SOURCE === undefined) {
    return { kind: 'none' };
  }
  const parsed: ParseSourceResult = parseCameraSource(config.CAMERA_SOURCE, { loop: config.CAMERA_LOOP });
  if (!parsed.ok) {
    return { kind: 'invalid', error: `CAMERA_SOURCE: ${parsed.error}` };
  }
  return {
    kind: 'camera',
    camera: {
      name: ENV_CAMERA_NAME,
      source: parsed.source,
      sourceText: config.CAMERA_SOURCE,
      width: config.CAMERA_WIDTH,
      height: config.CAMERA_HEIGHT,
      fps: config.CAMERA_FPS,
      predictInterval: config.PREDICT_INTERVAL,
    },
  };
}
