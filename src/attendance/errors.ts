// Expected failures of attendance operations; GraphQL (errors plugin) and REST
// (status + {"detail"}) map them by class / `code`.

export class AttendanceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class AttendanceLogNotFoundError extends AttendanceError {
  constructor(readonly logId: number) {
    super('ATTENDANCE_LOG_NOT_FOUND', `attendance log ${logId} not found`);
  }
}

export class AttendanceEmployeeNotFoundError extends AttendanceError {
  constructor(readonly employeeId: number) {
    super('EMPLOYEE_NOT_FOUND', `employee ${employeeId} not found`);
  }
}

export class AttendanceCameraNotFoundError extends AttendanceError {
  constructor(readonly cameraId: number) {
    super('CAMERA_NOT_FOUND', `camera ${cameraId} not found`);
  }
}

export class AttendanceLogVoidedError extends AttendanceError {
  constructor(readonly logId: number) {
    super('ATTENDANCE_LOG_VOIDED', `attendance log ${logId} is voided`);
  }
}

/** Bad input that the schema could not catch (date ranges, empty reasons). */
export class InvalidAttendanceQueryError extends AttendanceError {
  constructor(message: string) {
    super('INVALID_ATTENDANCE_INPUT', message);
  }
}
