// GraphQL resolvers of cameras: the Camera rows, their live state, start/stop,
// and the live subscriptions (per-frame results, decided identities). Shapes
// live in src/schema/camera.ts and src/schema/camera-live.ts; the REST routes
// call the same service.
import { map, pipe } from 'graphql-yoga';
import type { CameraInfo } from '../cameras/camera-info.js';
import type { FrameEvent, RecognizedEvent } from '../cameras/events.js';
import type { RequestContext } from '../context.js';
import { cameraId } from '../domain/ids.js';
import type { Camera } from '../generated/prisma/client.js';
import { clearLoaders } from '../loaders.js';

type Maybe<T> = T | null | undefined;
const keep = <T>(value: Maybe<T>): T | undefined => value ?? undefined;

interface CameraInputArgs {
  name?: Maybe<string>;
  source?: Maybe<string>;
  loop?: Maybe<boolean>;
  width?: Maybe<number>;
  height?: Maybe<number>;
  fps?: Maybe<number>;
  predictInterval?: Maybe<number>;
  realtime?: Maybe<boolean>;
  enabled?: Maybe<boolean>;
}

/** width/height/fps keep null ("the server default"); other nulls mean "not given". */
const toInput = (i: CameraInputArgs) => ({
  name: keep(i.name),
  source: keep(i.source),
  loop: keep(i.loop),
  width: i.width,
  height: i.height,
  fps: i.fps,
  predictInterval: keep(i.predictInterval),
  realtime: keep(i.realtime),
  enabled: keep(i.enabled),
});

// A subscription's context lives as long as it does. Frames come many times a
// second: forget cached employees every few seconds rather than per frame.
const FRAME_LOADER_MAX_AGE_MS = 5_000;

export const cameraResolvers = {
  cameras: (ctx: RequestContext): Promise<Camera[]> => ctx.services.cameras.list(),
  camera: (args: { id: number }, ctx: RequestContext): Promise<Camera> => ctx.services.cameras.get(args.id),
  cameraInfo: (args: { cameraId?: Maybe<number> }, ctx: RequestContext): Promise<CameraInfo[]> => ctx.services.cameras.info(keep(args.cameraId)),
  /** Camera.info: the live state of a row already read. */
  infoOf: (camera: Camera, ctx: RequestContext): CameraInfo => ctx.services.cameras.infoOf(camera),

  createCamera: ({ input }: { input: CameraInputArgs & { name: string; source: string } }, ctx: RequestContext): Promise<Camera> =>
    ctx.services.cameras.create(ctx.caller, { ...toInput(input), name: input.name, source: input.source }),
  updateCamera: ({ id, input }: { id: number; input: CameraInputArgs }, ctx: RequestContext): Promise<Camera> =>
    ctx.services.cameras.update(ctx.caller, id, toInput(input)),
  deleteCamera: (args: { id: number }, ctx: RequestContext): Promise<Camera> => ctx.services.cameras.delete(ctx.caller, args.id),
  startCamera: (args: { id: number }, ctx: RequestContext): Promise<CameraInfo> => ctx.services.cameras.start(args.id),
  stopCamera: (args: { id: number }, ctx: RequestContext): Promise<CameraInfo> => ctx.services.cameras.stop(args.id),

  recognitionFrames: async (args: { cameraId: number }, ctx: RequestContext): Promise<AsyncIterable<FrameEvent>> => {
    // An unknown id is an error now, not a silent stream forever.
    await ctx.services.cameras.get(args.cameraId);
    let lastCleared = Date.now();
    return pipe(
      ctx.live.frames(cameraId(args.cameraId)),
      map((event: FrameEvent) => {
        if (Date.now() - lastCleared >= FRAME_LOADER_MAX_AGE_MS) {
          clearLoaders(ctx.loaders);
          lastCleared = Date.now();
        }
        return event;
      }),
    );
  },

  recognized: async (args: { cameraId?: Maybe<number> }, ctx: RequestContext): Promise<AsyncIterable<RecognizedEvent>> => {
    if (args.cameraId == null) {
      return ctx.live.recognized();
    }
    await ctx.services.cameras.get(args.cameraId);
    return ctx.live.recognized(cameraId(args.cameraId));
  },
  recognizedEvent: (event: RecognizedEvent, ctx: RequestContext): RecognizedEvent => {
    clearLoaders(ctx.loaders);
    return event;
  },
};
