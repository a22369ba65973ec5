// RFC 7644 §3.12: SCIM error responses — the Error schema, `status` as a string, scimType from Table 9.
import { URN } from "./urns";

export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive";

export class ScimError extends Error {
  readonly status: number;
  readonly scimType?: ScimType;

  constructor(status: number, scimType: ScimType | undefined, detail: string) {
    super(detail);
    this.name = "ScimError";
    this.status = status;
    if (scimType !== undefined) this.scimType = scimType;
  }

  get detail(): string {
    return this.message;
  }
}

export interface ScimErrorBody {
  schemas: [typeof URN.Error];
  status: string;
  scimType?: ScimType;
  detail: string;
}

export function scimErrorBody(error: ScimError): ScimErrorBody {
  return {
    schemas: [URN.Error],
    status: String(error.status),
    ...(error.scimType ? { scimType: error.scimType } : {}),
    detail: error.detail,
  };
}

/** Anything that is not a ScimError becomes an opaque 500: internals never reach the client. */
export function toScimError(error: unknown): ScimError {
  return error instanceof ScimError ? error : new ScimError(500, undefined, "Internal server error");
}

export const invalidFilter = (detail: string) => new ScimError(400, "invalidFilter", detail);
export const invalidPath = (detail: string) => new ScimError(400, "invalidPath", detail);
export const invalidValue = (detail: string) => new ScimError(400, "invalidValue", detail);
export const invalidSyntax = (detail: string) => new ScimError(400, "invalidSyntax", detail);
/** SCIM interop profile (draft-zollner-scim-interop-profile-01): an undefined sub-attribute of a defined attribute. */
export const undefinedSubAttribute = (label: string) => invalidSyntax(`Undefined sub-attribute ${JSON.stringify(label)}`);
export const mutability = (detail: string) => new ScimError(400, "mutability", detail);
export const noTarget = (detail: string) => new ScimError(400, "noTarget", detail);
export const tooMany = (detail: string) => new ScimError(400, "tooMany", detail);
export const uniqueness = (detail: string) => new ScimError(409, "uniqueness", detail);
export const notFound = (resource: string, id: string) =>
  new ScimError(404, undefined, `${resource} ${JSON.stringify(id)} not found`);
export const unauthorized = (detail = "Missing or invalid bearer token") => new ScimError(401, undefined, detail);
export const forbidden = (detail = "Not allowed") => new ScimError(403, undefined, detail);
export const preconditionFailed = (detail = "Resource version does not match If-Match") =>
  new ScimError(412, undefined, detail);
export const payloadTooLarge = (maxBytes: number) =>
  new ScimError(413, undefined, `Request body exceeds the ${maxBytes}-byte limit declared in ServiceProviderConfig`);
export const unsupportedMediaType = () =>
  new ScimError(415, undefined, "Content-Type must be application/scim+json or application/json");
