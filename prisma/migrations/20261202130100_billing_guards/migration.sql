-- A voucher is never used past its limit, whatever code path redeems it: the database refuses.
ALTER TABLE "Voucher" ADD CONSTRAINT "Voucher_uses_within_limit" CHECK ("uses" >= 0 AND "uses" <= "maxUses");
ALTER TABLE "Voucher" ADD CONSTRAINT "Voucher_credits_positive" CHECK ("credits" > 0);

-- What a refund takes back never exceeds what was bought.
ALTER TABLE "CreditPurchase" ADD CONSTRAINT "CreditPurchase_taken_back_within_credits"
  CHECK ("creditsTakenBack" >= 0 AND "shortfall" >= 0 AND "creditsTakenBack" + "shortfall" <= "credits");
