-- AlterTable
ALTER TABLE `Camera` ADD COLUMN `realtime` BOOLEAN NOT NULL DEFAULT true;
