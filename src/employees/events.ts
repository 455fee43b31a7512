// Payload of the `employeeChanged` topic: published by the employee and
// enrollment services after commit; the recognition models, GraphQL
// subscribers and other instances (over Redis) follow it. JSON-safe.
export type EmployeeChangeKind = 'created' | 'updated' | 'deactivated' | 'erased';

export interface EmployeeChangedEvent {
  kind: EmployeeChangeKind;
  employeeId: number;
  /** ISO-8601 time of the change. */
  at: string;
}
