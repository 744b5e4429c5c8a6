-- CreateEnum
CREATE TYPE "WelcomeCredits" AS ENUM ('granted', 'ip_limit', 'budget_spent', 'awaiting_verification');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "signupIp" TEXT,
ADD COLUMN     "welcome" "WelcomeCredits";
