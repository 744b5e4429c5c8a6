-- Balances can never go negative, whatever code path moves them: a hold that would overdraw fails
-- in the database itself. Prisma does not model CHECK constraints, so they live in their own migration.
ALTER TABLE "User" ADD CONSTRAINT "User_credits_nonnegative" CHECK ("credits" >= 0);

-- A generation's hold cost is never negative either.
ALTER TABLE "Generation" ADD CONSTRAINT "Generation_cost_nonnegative" CHECK ("cost" >= 0);
