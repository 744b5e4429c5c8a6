-- AlterTable
ALTER TABLE "Generation" ADD COLUMN     "batchId" TEXT;

-- CreateIndex
CREATE INDEX "Generation_userId_batchId_idx" ON "Generation"("userId", "batchId");
