// One service built alone from real parts (database, DATA_DIR, event bus),
// without HTTP or the rest of the app: the employee service.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotAbsolutePath, writeSnapshot } from '../../src/attendance/snapshots.js';
import { DuplicateEmployeeCodeError, EmployeeNotFoundError } from '../../src/domain/errors.js';
import { createEmployeeRepository } from '../../src/employees/employee-repository.js';
import { createEmployeeService, type EmployeeService } from '../../src/services/employee-service.js';
import { makeAttendance } from '../helpers/factories.js';
import { createServiceKit, type ServiceKit } from '../helpers/service-kit.js';

let kit: ServiceKit;
let employees: EmployeeService;

beforeAll(async () => {
  kit = await createServiceKit();
  employees = createEmployeeService({ ...kit.pick('config', 'clock', 'events', 'log'), employees: createEmployeeRepository(kit.db.prisma) });
});
afterAll(async () => {
  await kit.stop();
});

describe('employee service', () => {
  it('creates with an audit row and an employeeChanged event; a taken code changes nothing', async () => {
    const changes = kit.record('employeeChanged');
    kit.setNow('2026-03-02T08:00:00.000Z');
    const ada = await employees.create(null, { employeeCode: 'S-1', fullName: 'Ada Lovelace' });
    await expect(employees.create(null, { employeeCode: 'S-1', fullName: 'Someone Else' })).rejects.toBeInstanceOf(DuplicateEmployeeCodeError);
    expect(await kit.db.prisma.employee.count({ where: { employeeCode: 'S-1' } })).toBe(1);
    expect(await kit.db.prisma.auditLog.count({ where: { action: 'employee.create', entityId: String(ada.id) } })).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(changes).toEqual([{ kind: 'created', employeeId: ada.id, at: '2026-03-02T08:00:00.000Z' }]);
  });

  it('erases personal data and the snapshot files inside DATA_DIR; the attendance rows stay', async () => {
    const bob = await employees.create(null, { employeeCode: 'S-2', fullName: 'Bob Example', email: 'bob@example.com' });
    const snapshot = 'snapshots/2026-03-02/bob.jpg';
    await writeSnapshot(kit.dataDir, snapshot, new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    await makeAttendance(kit.db.prisma, bob.id, new Date(), { snapshotPath: snapshot });
    const erased = await employees.erase(null, bob.id, 'left the company');
    expect(erased).toMatchObject({ fullName: 'Erased employee', employeeCode: `erased-${bob.id}`, email: null, isActive: false });
    expect(existsSync(snapshotAbsolutePath(kit.dataDir, snapshot))).toBe(false);
    expect(await kit.db.prisma.attendanceLog.count({ where: { employeeId: bob.id, snapshotPath: null } })).toBe(1);
    await expect(employees.erase(null, 999_999)).rejects.toBeInstanceOf(EmployeeNotFoundError);
  });
});
