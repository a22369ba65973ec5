import { z } from "zod";

/** Form helpers: checkboxes/switches post "on" or nothing; optional text posts "". */
export const formBoolean = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

export const optionalText = (max = 2000) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v), z.string().max(max).optional());

/** A list typed into one field (commas, semicolons or whitespace between items) or posted as repeated fields. */
export const formList = z.preprocess(
  (v) =>
    (Array.isArray(v) ? v : typeof v === "string" ? [v] : [])
      .flatMap((s: string) => s.split(/[\s,;]+/))
      .map((s: string) => s.trim().toLowerCase())
      .filter(Boolean),
  z.array(z.string()),
);

/** One message per form field: an issue on `domains[1]` belongs to the `domains` input. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "_form";
    fieldErrors[key] ??= issue.message;
  }
  return fieldErrors;
}
