// When the runner embeds faces. Embedding is the expensive step (~13 ms a
// face), so a frame is analysed without it when every visible track is
// settled; if that frame turns out to hold a face that needs one (a new face,
// a jump), the same frame gets a second pass with embeddings, so a new face is
// never left a frame behind. Which track needs one is the tracker's rule
// (FaceTracker.needsEmbedding).
import type { DetectedFace } from '../vision/types.js';
import { iou } from './box-geometry.js';
import type { FaceTracker, TrackId } from './tracker.js';

/** Whether the next frame should be analysed with embeddings. */
export function embedNextFrame(tracker: FaceTracker, isSettled: (id: TrackId) => boolean): boolean {
  return tracker.anyNeedsEmbeddingNext(isSettled);
}

/** Whether a frame analysed without embeddings needs a second pass: one of its tracks wants one. */
export function needsSecondPass(
  faces: readonly DetectedFace[],
  trackIds: readonly TrackId[],
  tracker: FaceTracker,
  isSettled: (id: TrackId) => boolean,
): boolean {
  return trackIds.some((id, i) => faces[i]!.embedding === undefined && tracker.needsEmbedding(id, isSettled(id)));
}

/** Copies embeddings (and crops) from a second analysis of the same frame onto the first one's faces. */
export function attachEmbeddings(faces: readonly DetectedFace[], embeddedFaces: readonly DetectedFace[]): DetectedFace[] {
  return faces.map((face) => {
    let best: DetectedFace | undefined;
    let bestIou = 0.5;
    for (const other of embeddedFaces) {
      const overlap = iou(face.box, other.box);
      if (other.embedding !== undefined && overlap > bestIou) {
        best = other;
        bestIou = overlap;
      }
    }
    return best === undefined ? face : { ...face, embedding: best.embedding, alignedJpeg: best.alignedJpeg ?? face.alignedJpeg, quality: best.quality };
  });
}
