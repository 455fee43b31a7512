// Events of the auth domain (payloads of src/events/topics.ts).

export interface ApiKeyRevokedEvent {
  apiKeyId: number;
  /** ISO-8601 time of the revocation. */
  at: string;
}
