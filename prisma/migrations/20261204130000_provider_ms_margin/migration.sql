-- AlterTable
ALTER TABLE "Generation" ADD COLUMN     "providerMsMargin" INTEGER;
