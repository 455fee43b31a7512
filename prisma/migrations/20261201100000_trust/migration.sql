-- AlterTable
ALTER TABLE `Employee` ADD COLUMN `awaitingApproval` BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE `EnrollmentSession` ADD COLUMN `startedByKeyId` INTEGER NULL;

-- CreateTable
CREATE TABLE `IdempotencyRecord` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `apiKeyId` INTEGER NOT NULL,
    `key` VARCHAR(255) NOT NULL,
    `fingerprint` VARCHAR(64) NOT NULL,
    `status` VARCHAR(16) NOT NULL,
    `response` JSON NULL,
    `subjects` VARCHAR(2048) NOT NULL DEFAULT '',
    `expiresAt` DATETIME(3) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `IdempotencyRecord_apiKeyId_key_key`(`apiKeyId`, `key`),
    INDEX `IdempotencyRecord_expiresAt_idx`(`expiresAt`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
