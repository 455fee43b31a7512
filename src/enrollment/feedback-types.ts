// The per-frame answer of submitEnrollmentFrame, shared by the feedback logic,
// the instruction text and (later) the GraphQL/REST layers.
import type { QualityIssue } from '../vision/types.js';
import type { Pose } from './coverage.js';
import type { PoseSector } from './pose-sectors.js';

export type FaceStatus = 'one_face' | 'no_face' | 'multiple_faces' | 'invalid_image';

/** Why a frame did not count towards the session. */
export type RejectionCode =
  | 'invalid_image'
  | 'no_face'
  | 'multiple_faces'
  /** One face, but quality.reasons is not empty. */
  | 'low_quality'
  /** One good face, but the pose is in the dead band between centre and ring. */
  | 'between_sectors'
  /** One good face, but its embedding does not match the session's person. */
  | 'different_person'
  /** The face was judged not live (a printed photo or a screen held to the camera). */
  | 'not_live'
  /** The same frameNumber was submitted before (a client retry). */
  | 'duplicate_frame';

export interface QualityVerdict {
  ok: boolean;
  /** FaceQuality.score of the chosen face, 0 when there is none. */
  score: number;
  reasons: QualityIssue[];
}

export type InstructionCode =
  | 'invalid_image'
  | 'no_face'
  | 'multiple_faces'
  | 'different_person'
  | 'not_live'
  | 'cut_off'
  | 'too_small'
  | 'too_dark'
  | 'too_bright'
  | 'occluded'
  | 'blur'
  | 'extreme_pose'
  | 'look_straight'
  | 'turn'
  | 'hold_pose'
  | 'done';

export interface Instruction {
  code: InstructionCode;
  /** Short English text for the kiosk; the code lets a UI translate it. */
  text: string;
  /** For 'turn' / 'hold_pose': the sector the user is asked to reach. */
  target?: PoseSector;
}

interface FeedbackBase {
  frameNumber: number;
  timestamp: number;
  /** Faces the detector found (before choosing a dominant one). */
  faceCount: number;
  quality: QualityVerdict;
  coveredSectors: PoseSector[];
  missingSectors: PoseSector[];
  /** 0..1 towards the coverage requirement. */
  progress: number;
  complete: boolean;
  instruction: string;
  instructionCode: InstructionCode;
}

export type FrameFeedback =
  | (FeedbackBase & {
      status: 'accepted';
      faceStatus: 'one_face';
      pose: Pose;
      sector: PoseSector;
      /** This frame made its sector reach the covered state. */
      newlyCovered: boolean;
      /** One face dominated smaller background faces (faceCount > 1). */
      dominantFace: boolean;
    })
  | (FeedbackBase & {
      status: 'rejected';
      faceStatus: FaceStatus;
      rejection: RejectionCode;
      pose?: Pose;
      sector?: PoseSector;
    });
