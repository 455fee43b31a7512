// Branded ids: an EmployeeId cannot be passed where a CameraId is expected.
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type EmployeeId = Brand<number, 'EmployeeId'>;
export type CameraId = Brand<number, 'CameraId'>;
export type AttendanceLogId = Brand<number, 'AttendanceLogId'>;
export type ApiKeyId = Brand<number, 'ApiKeyId'>;
export type EnrollmentSessionId = Brand<string, 'EnrollmentSessionId'>;
export type ClassifierModelId = Brand<number, 'ClassifierModelId'>;
/** Identifies the model pack that produced an embedding; templates of different packs never meet. */
export type ModelPackId = Brand<string, 'ModelPackId'>;

export const employeeId = (n: number): EmployeeId => n as EmployeeId;
export const cameraId = (n: number): CameraId => n as CameraId;
export const attendanceLogId = (n: number): AttendanceLogId => n as AttendanceLogId;
export const apiKeyId = (n: number): ApiKeyId => n as ApiKeyId;
export const enrollmentSessionId = (s: string): EnrollmentSessionId => s as EnrollmentSessionId;
export const classifierModelId = (n: number): ClassifierModelId => n as ClassifierModelId;
export const modelPackId = (s: string): ModelPackId => s as ModelPackId;
