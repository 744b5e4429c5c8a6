import { z } from "zod";

/** The shape of every id the studio issues (cuid, UUID) or accepts in a URL: no dots, no slashes. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const isId = (value: string): boolean => ID_PATTERN.test(value);

export const idSchema = z.string().regex(ID_PATTERN);
