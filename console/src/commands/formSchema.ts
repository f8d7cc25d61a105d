import type { RJSFSchema } from "@rjsf/utils";

/**
 * An official OCPP request schema made fit for a generated form: without `$schema` (1.6 names
 * draft-04, which the form's validator does not load; the API validates the payload again anyway)
 * and without 2.0.1's optional `customData` vendor extension, which would clutter every object.
 */
export function schemaForForm(schema: Record<string, unknown>): RJSFSchema {
  const form = withoutCustomData(schema) as RJSFSchema;
  delete form.$schema;
  return form;
}

function withoutCustomData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCustomData);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([key]) => key !== "customData" && key !== "CustomDataType")
    .map(([key, inner]) => [key, withoutCustomData(inner)]);
  return Object.fromEntries(entries);
}
