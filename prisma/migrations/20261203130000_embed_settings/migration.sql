-- AlterTable
ALTER TABLE "User" ADD COLUMN     "embedSettings" BOOLEAN NOT NULL DEFAULT true;
