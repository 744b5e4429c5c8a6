-- CreateTable
CREATE TABLE "GenerationEvent" (
    "id" BIGSERIAL NOT NULL,
    "generationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "provider" TEXT,
    "detail" TEXT,
    "count" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GenerationEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GenerationEvent_generationId_id_idx" ON "GenerationEvent"("generationId", "id");

-- CreateIndex
CREATE INDEX "Generation_status_createdAt_idx" ON "Generation"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Generation_provider_createdAt_idx" ON "Generation"("provider", "createdAt");

-- CreateIndex
CREATE INDEX "Generation_errorCode_createdAt_idx" ON "Generation"("errorCode", "createdAt");

-- AddForeignKey
ALTER TABLE "GenerationEvent" ADD CONSTRAINT "GenerationEvent_generationId_fkey" FOREIGN KEY ("generationId") REFERENCES "Generation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
