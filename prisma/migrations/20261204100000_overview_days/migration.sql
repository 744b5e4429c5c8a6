-- CreateTable
CREATE TABLE "OverviewDay" (
    "day" INTEGER NOT NULL,
    "figures" JSONB NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OverviewDay_pkey" PRIMARY KEY ("day")
);

-- A closed day's figures are derived from its rows: any write to a row of that day (a late refund,
-- an operator's fail, a deleted account, a back-dated import) deletes the day's figures, and the
-- next overview computes them again. The shared advisory lock per day waits for a computation of
-- that day in progress (which holds it exclusively), so no computation can store figures read
-- before this write committed. Days are UTC days as days since 1970-01-01 ("createdAt" is UTC).
CREATE FUNCTION "OverviewDay_forget"(days INTEGER[]) RETURNS void AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(7270737, d)
    FROM (SELECT DISTINCT unnest(days) AS d ORDER BY 1) AS ordered;
  DELETE FROM "OverviewDay" WHERE "day" = ANY (days);
END;
$$ LANGUAGE plpgsql;

-- Inserts and deletes: once per statement, for the days of every row it touched.
CREATE FUNCTION "OverviewDay_forget_inserted"() RETURNS trigger AS $$
BEGIN
  PERFORM "OverviewDay_forget"(ARRAY(SELECT DISTINCT ("createdAt"::date - DATE '1970-01-01') FROM changed));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Updates: once per row whose counted columns changed, for its day before and after.
CREATE FUNCTION "OverviewDay_forget_updated"() RETURNS trigger AS $$
BEGIN
  PERFORM "OverviewDay_forget"(ARRAY[
    OLD."createdAt"::date - DATE '1970-01-01',
    NEW."createdAt"::date - DATE '1970-01-01'
  ]);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Generation_overview_insert" AFTER INSERT ON "Generation"
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "OverviewDay_forget_inserted"();
CREATE TRIGGER "Generation_overview_delete" AFTER DELETE ON "Generation"
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "OverviewDay_forget_inserted"();
CREATE TRIGGER "Generation_overview_update"
AFTER UPDATE OF "status", "provider", "attemptedProviders", "completedAt", "createdAt" ON "Generation"
FOR EACH ROW WHEN (
  OLD."status" IS DISTINCT FROM NEW."status" OR OLD."provider" IS DISTINCT FROM NEW."provider"
  OR OLD."attemptedProviders" IS DISTINCT FROM NEW."attemptedProviders"
  OR OLD."completedAt" IS DISTINCT FROM NEW."completedAt" OR OLD."createdAt" IS DISTINCT FROM NEW."createdAt"
) EXECUTE FUNCTION "OverviewDay_forget_updated"();

CREATE TRIGGER "CreditLedgerEntry_overview_insert" AFTER INSERT ON "CreditLedgerEntry"
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "OverviewDay_forget_inserted"();
CREATE TRIGGER "CreditLedgerEntry_overview_delete" AFTER DELETE ON "CreditLedgerEntry"
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "OverviewDay_forget_inserted"();
CREATE TRIGGER "CreditLedgerEntry_overview_update"
AFTER UPDATE OF "amount", "reason", "createdAt" ON "CreditLedgerEntry"
FOR EACH ROW WHEN (
  OLD."amount" IS DISTINCT FROM NEW."amount" OR OLD."reason" IS DISTINCT FROM NEW."reason"
  OR OLD."createdAt" IS DISTINCT FROM NEW."createdAt"
) EXECUTE FUNCTION "OverviewDay_forget_updated"();

CREATE TRIGGER "User_overview_insert" AFTER INSERT ON "User"
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "OverviewDay_forget_inserted"();
CREATE TRIGGER "User_overview_delete" AFTER DELETE ON "User"
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "OverviewDay_forget_inserted"();
CREATE TRIGGER "User_overview_update" AFTER UPDATE OF "createdAt" ON "User"
FOR EACH ROW WHEN (OLD."createdAt" IS DISTINCT FROM NEW."createdAt")
EXECUTE FUNCTION "OverviewDay_forget_updated"();

-- Emptying a table empties every day.
CREATE FUNCTION "OverviewDay_forget_all"() RETURNS trigger AS $$
BEGIN
  DELETE FROM "OverviewDay";
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Generation_overview_truncate" AFTER TRUNCATE ON "Generation"
FOR EACH STATEMENT EXECUTE FUNCTION "OverviewDay_forget_all"();
CREATE TRIGGER "CreditLedgerEntry_overview_truncate" AFTER TRUNCATE ON "CreditLedgerEntry"
FOR EACH STATEMENT EXECUTE FUNCTION "OverviewDay_forget_all"();
CREATE TRIGGER "User_overview_truncate" AFTER TRUNCATE ON "User"
FOR EACH STATEMENT EXECUTE FUNCTION "OverviewDay_forget_all"();
