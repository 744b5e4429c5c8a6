import "server-only";

import { AppError } from "@/server/errors";

/** A refusal the operator reads as is (no such account, a bad date…), on the CLI or in /admin. */
export class AdminCommandError extends AppError {
  constructor(message: string) {
    super("invalid_input", message);
    this.name = "AdminCommandError";
  }
}
