-- AlterTable
ALTER TABLE "Generation" ADD COLUMN     "providerMs" INTEGER;

-- CreateIndex
CREATE INDEX "Generation_provider_kind_completedAt_idx" ON "Generation"("provider", "kind", "completedAt");
