-- CreateTable
CREATE TABLE `Employee` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `employeeCode` VARCHAR(64) NOT NULL,
    `fullName` VARCHAR(255) NOT NULL,
    `email` VARCHAR(255) NULL,
    `department` VARCHAR(128) NULL,
    `isActive` BOOLEAN NOT NULL DEFAULT true,
    `erasedAt` DATETIME(3) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `Employee_employeeCode_key`(`employeeCode`),
    INDEX `Employee_department_idx`(`department`),
    INDEX `Employee_isActive_idx`(`isActive`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `FaceTemplate` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `employeeId` INTEGER NOT NULL,
    `modelId` VARCHAR(64) NOT NULL,
    `embedding` BLOB NOT NULL,
    `quality` DOUBLE NOT NULL,
    `kind` ENUM('sample', 'augmented', 'mean') NOT NULL DEFAULT 'sample',
    `source` VARCHAR(32) NOT NULL,
    `enrollmentSessionId` VARCHAR(36) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `FaceTemplate_employeeId_modelId_idx`(`employeeId`, `modelId`),
    INDEX `FaceTemplate_modelId_idx`(`modelId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `EnrollmentSession` (
    `id` VARCHAR(36) NOT NULL,
    `employeeId` INTEGER NULL,
    `pendingEmployee` JSON NULL,
    `status` ENUM('active', 'completed', 'cancelled', 'expired') NOT NULL DEFAULT 'active',
    `frameCount` INTEGER NOT NULL DEFAULT 0,
    `coverage` JSON NULL,
    `failureReason` VARCHAR(255) NULL,
    `expiresAt` DATETIME(3) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `completedAt` DATETIME(3) NULL,

    INDEX `EnrollmentSession_status_expiresAt_idx`(`status`, `expiresAt`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `ClassifierModel` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `modelId` VARCHAR(64) NOT NULL,
    `kind` VARCHAR(32) NOT NULL,
    `artifact` LONGBLOB NOT NULL,
    `params` JSON NOT NULL,
    `metrics` JSON NOT NULL,
    `templateCount` INTEGER NOT NULL,
    `employeeCount` INTEGER NOT NULL,
    `trainingMs` INTEGER NOT NULL,
    `isActive` BOOLEAN NOT NULL DEFAULT false,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `ClassifierModel_modelId_isActive_idx`(`modelId`, `isActive`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Camera` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(128) NOT NULL,
    `sourceKind` ENUM('device', 'rtsp', 'http', 'file') NOT NULL,
    `source` VARCHAR(1024) NOT NULL,
    `loop` BOOLEAN NOT NULL DEFAULT false,
    `width` INTEGER NULL,
    `height` INTEGER NULL,
    `fps` INTEGER NULL,
    `predictInterval` INTEGER NOT NULL DEFAULT 1,
    `enabled` BOOLEAN NOT NULL DEFAULT true,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `Camera_name_key`(`name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `AttendanceLog` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `eventId` VARCHAR(64) NOT NULL,
    `employeeId` INTEGER NOT NULL,
    `cameraId` INTEGER NULL,
    `checkInTime` DATETIME(3) NOT NULL,
    `localDate` VARCHAR(10) NOT NULL,
    `eventType` ENUM('check_in', 'check_out', 'seen') NOT NULL DEFAULT 'check_in',
    `confidenceScore` DOUBLE NOT NULL,
    `recognitionMethod` ENUM('svm', 'cosine', 'manual') NOT NULL,
    `snapshotPath` VARCHAR(512) NULL,
    `snapshotExpiresAt` DATETIME(3) NULL,
    `voidedAt` DATETIME(3) NULL,
    `voidReason` VARCHAR(255) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `AttendanceLog_eventId_key`(`eventId`),
    INDEX `AttendanceLog_employeeId_checkInTime_idx`(`employeeId`, `checkInTime`),
    INDEX `AttendanceLog_localDate_idx`(`localDate`),
    INDEX `AttendanceLog_checkInTime_idx`(`checkInTime`),
    INDEX `AttendanceLog_cameraId_idx`(`cameraId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `ApiKey` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(128) NOT NULL,
    `prefix` VARCHAR(16) NOT NULL,
    `keyHash` VARCHAR(64) NOT NULL,
    `role` ENUM('admin', 'operator', 'kiosk', 'viewer') NOT NULL,
    `cameraId` INTEGER NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `lastUsedAt` DATETIME(3) NULL,
    `revokedAt` DATETIME(3) NULL,

    UNIQUE INDEX `ApiKey_keyHash_key`(`keyHash`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `AuditLog` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `actor` VARCHAR(128) NOT NULL,
    `action` VARCHAR(64) NOT NULL,
    `entityType` VARCHAR(64) NOT NULL,
    `entityId` VARCHAR(64) NOT NULL,
    `before` JSON NULL,
    `after` JSON NULL,
    `reason` VARCHAR(512) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `AuditLog_entityType_entityId_idx`(`entityType`, `entityId`),
    INDEX `AuditLog_createdAt_idx`(`createdAt`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `FaceTemplate` ADD CONSTRAINT `FaceTemplate_employeeId_fkey` FOREIGN KEY (`employeeId`) REFERENCES `Employee`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `EnrollmentSession` ADD CONSTRAINT `EnrollmentSession_employeeId_fkey` FOREIGN KEY (`employeeId`) REFERENCES `Employee`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `AttendanceLog` ADD CONSTRAINT `AttendanceLog_employeeId_fkey` FOREIGN KEY (`employeeId`) REFERENCES `Employee`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `AttendanceLog` ADD CONSTRAINT `AttendanceLog_cameraId_fkey` FOREIGN KEY (`cameraId`) REFERENCES `Camera`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
