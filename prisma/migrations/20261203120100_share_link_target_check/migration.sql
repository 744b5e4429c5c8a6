-- A share link points at exactly one thing: an image or a collection.
ALTER TABLE "ShareLink" ADD CONSTRAINT "ShareLink_one_target" CHECK (("generationId" IS NULL) <> ("collectionId" IS NULL));
