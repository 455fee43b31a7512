// Payload of the `apiKeyRevoked` topic: every instance's authenticator drops
// the key from its cache (and never serves it from there again), so a
// revocation also holds on instances that did not make it, outage or not.
export type ApiKeyRevokedEvent = {
  apiKeyId: number;
  /** ISO instant */
  at: string;
};
