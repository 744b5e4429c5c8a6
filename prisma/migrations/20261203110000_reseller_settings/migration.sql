-- CreateTable
CREATE TABLE "ResellerSetting" (
    "provider" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "priority" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT NOT NULL,

    CONSTRAINT "ResellerSetting_pkey" PRIMARY KEY ("provider")
);
