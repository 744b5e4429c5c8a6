-- CreateIndex
CREATE INDEX "Generation_userId_status_idx" ON "Generation"("userId", "status");

-- CreateIndex
CREATE INDEX "Generation_userId_completedAt_idx" ON "Generation"("userId", "completedAt");
