// GET|POST /api/auth/* – Auth.js endpoints (session, CSRF, OAuth callbacks).
import { handlers } from "@/server/auth/config";

export const { GET, POST } = handlers;
