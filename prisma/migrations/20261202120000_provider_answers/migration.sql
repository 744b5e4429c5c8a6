-- AlterTable
ALTER TABLE "Generation" ADD COLUMN     "mayHaveBilledBy" TEXT;

-- CreateTable
CREATE TABLE "ProviderAnswer" (
    "id" TEXT NOT NULL,
    "generationId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "httpStatus" INTEGER,
    "body" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProviderAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProviderAnswer_generationId_receivedAt_idx" ON "ProviderAnswer"("generationId", "receivedAt");

-- AddForeignKey
ALTER TABLE "ProviderAnswer" ADD CONSTRAINT "ProviderAnswer_generationId_fkey" FOREIGN KEY ("generationId") REFERENCES "Generation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
