// The presentationAttack event: a face judged not live (a printed photo, a
// screen) or a kiosk challenge refused, with whom it resembled so an operator
// can follow up. JSON-safe (it crosses Redis): ISO time, plain numbers.

export type AttackSource = 'recognize' | 'camera' | 'enrollment' | 'challenge';

export interface ResembledEmployee {
  employeeId: number;
  employeeCode: string;
  fullName: string;
  /** 0..1, the recognizer's confidence for this person. */
  confidence: number;
  /** True when the face would have been recognized (and logged) as this person had it been live. */
  wouldRecognize: boolean;
}

export interface PresentationAttackEvent {
  /** ISO-8601. */
  at: string;
  source: AttackSource;
  cameraId: number | null;
  /** 'spoof' (passive model) or the challenge's refusal reason. */
  reason: string;
  detail: string;
  /** Median P(live) that was judged (NaN-free: null when there was none). */
  livenessScore: number | null;
  threshold: number;
  resembled: ResembledEmployee | null;
  /** The API key that sent the frames, when a request did. */
  apiKeyId: number | null;
}
