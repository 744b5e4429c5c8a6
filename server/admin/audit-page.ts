import "server-only";

import { getDb } from "@/server/db/client";

import { listAudit } from "./audit";

/** The newest audit rows of the whole studio, for /admin/audit. */
export const listAuditForAdmin = () => listAudit(getDb(), { take: 200 });
