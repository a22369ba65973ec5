import Link from "next/link";
import * as React from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { URN } from "@/lib/scim/urns";

// RFC 7643 §4.1 core User attributes live at the top of the stored document; the enterprise
// extension (§4.3) and custom extensions (Entra: urn:ietf:params:scim:schemas:extension:2.0:<Name>)
// under their schema URN keys.

type Doc = Record<string, unknown>;
type MultiValue = { value?: unknown; type?: unknown; primary?: unknown; display?: unknown };

const CORE_SIMPLE: [string, string][] = [
  ["userName", "User name"],
  ["externalId", "External ID"],
  ["displayName", "Display name"],
  ["nickName", "Nickname"],
  ["title", "Title"],
  ["userType", "User type"],
  ["preferredLanguage", "Preferred language"],
  ["locale", "Locale"],
  ["timezone", "Time zone"],
  ["profileUrl", "Profile URL"],
];

const NAME_PARTS: [string, string][] = [
  ["formatted", "Formatted"],
  ["honorificPrefix", "Prefix"],
  ["givenName", "Given name"],
  ["middleName", "Middle name"],
  ["familyName", "Family name"],
  ["honorificSuffix", "Suffix"],
];

const ADDRESS_PARTS = ["formatted", "streetAddress", "locality", "region", "postalCode", "country"];

const ENTERPRISE_SIMPLE: [string, string][] = [
  ["employeeNumber", "Employee number"],
  ["costCenter", "Cost center"],
  ["organization", "Organization"],
  ["division", "Division"],
  ["department", "Department"],
];

const HANDLED = new Set(["schemas", "id", "meta", "groups", "password", "active", "name", "emails", "phoneNumbers", "addresses", "roles", ...CORE_SIMPLE.map(([k]) => k)]);

function text(value: unknown): string {
  if (value === null || value === undefined || value === "") return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

export function Definition({ label, children, narrow }: { label: string; children: React.ReactNode; narrow?: boolean }) {
  return (
    <div className={narrow ? "grid grid-cols-[7.5rem_1fr] gap-3" : "grid gap-0.5 sm:grid-cols-[12rem_1fr] sm:gap-4"}>
      <dt className="text-sm text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words text-sm">{children}</dd>
    </div>
  );
}

function Empty() {
  return <span className="text-muted-foreground">—</span>;
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Card>
      <CardHeader className="pb-3">
        <CardTitle className="text-base">{title}</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid gap-3">{children}</dl>
      </CardContent>
    </Card>
  );
}

function multiValued(value: unknown): MultiValue[] {
  return Array.isArray(value) ? value.filter((v): v is MultiValue => Boolean(v) && typeof v === "object") : [];
}

function MultiValueList({ items, render }: { items: MultiValue[]; render?: (item: MultiValue) => React.ReactNode }) {
  if (!items.length) return <Empty />;
  return (
    <ul className="grid gap-1">
      {items.map((item, i) => (
        <li key={i} className="flex flex-wrap items-center gap-2">
          <span>{render ? render(item) : text(item.value ?? item.display)}</span>
          {item.type ? <Badge variant="secondary">{text(item.type)}</Badge> : null}
          {item.primary === true || item.primary === "true" || item.primary === "True" ? <Badge variant="outline">primary</Badge> : null}
        </li>
      ))}
    </ul>
  );
}

function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined || value === "") return <Empty />;
  if (Array.isArray(value)) {
    if (!value.length) return <Empty />;
    return (
      <span className="flex flex-wrap gap-1">
        {value.map((item, i) => (
          <Badge key={i} variant="secondary" className="font-normal">
            {typeof item === "object" && item && "value" in item ? text((item as MultiValue).value) : text(item)}
          </Badge>
        ))}
      </span>
    );
  }
  if (typeof value === "object") {
    return (
      <dl className="grid gap-1">
        {Object.entries(value as Doc).map(([k, v]) => (
          <div key={k} className="flex flex-wrap gap-2">
            <dt className="font-mono text-xs text-muted-foreground">{k}</dt>
            <dd>
              <Value value={v} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <>{text(value)}</>;
}

function extensionTitle(urn: string) {
  const name = urn.replace(/^urn:ietf:params:scim:schemas:extension:/, "").replace(/^2\.0:/, "");
  return `Extension: ${name}`;
}

/** Every attribute of a stored SCIM User, grouped and readable. */
export function ScimAttributes({ doc, manager }: { doc: Doc; manager?: { id: string; label: string } | null }) {
  const name = (doc.name && typeof doc.name === "object" ? doc.name : {}) as Doc;
  const enterprise = (doc[URN.EnterpriseUser] && typeof doc[URN.EnterpriseUser] === "object" ? doc[URN.EnterpriseUser] : {}) as Doc;
  const managerRef = enterprise.manager as { value?: unknown; displayName?: unknown } | string | undefined;
  const managerId = typeof managerRef === "string" ? managerRef : text(managerRef?.value);
  const extensions = Object.entries(doc).filter(([key]) => key.startsWith("urn:") && key !== URN.EnterpriseUser);
  const others = Object.entries(doc).filter(([key]) => !key.startsWith("urn:") && !HANDLED.has(key));

  return (
    <div className="grid gap-4">
      <Section title="Profile">
        {CORE_SIMPLE.map(([key, label]) => (
          <Definition key={key} label={label}>
            <Value value={doc[key]} />
          </Definition>
        ))}
        {NAME_PARTS.filter(([key]) => name[key]).map(([key, label]) => (
          <Definition key={key} label={`Name: ${label}`}>
            {text(name[key])}
          </Definition>
        ))}
      </Section>
      <Section title="Contact">
        <Definition label="Emails">
          <MultiValueList items={multiValued(doc.emails)} />
        </Definition>
        <Definition label="Phone numbers">
          <MultiValueList items={multiValued(doc.phoneNumbers)} />
        </Definition>
        <Definition label="Addresses">
          <MultiValueList
            items={multiValued(doc.addresses)}
            render={(address) =>
              ADDRESS_PARTS.map((part) => text((address as Doc)[part]))
                .filter(Boolean)
                .filter((part, i, all) => i === 0 || part !== all[0])
                .join(", ") || "—"
            }
          />
        </Definition>
      </Section>
      <Section title="Enterprise">
        {ENTERPRISE_SIMPLE.map(([key, label]) => (
          <Definition key={key} label={label}>
            <Value value={enterprise[key]} />
          </Definition>
        ))}
        <Definition label="Manager">
          {managerId ? (
            manager ? (
              <Link href={`/users/${manager.id}`} className="text-primary hover:underline">
                {manager.label}
              </Link>
            ) : (
              // Entra may send the manager before provisioning it: shown until a user with this id exists.
              <span className="flex flex-wrap items-center gap-2">
                <span className="font-mono text-xs">{text(typeof managerRef === "object" ? (managerRef.displayName ?? managerId) : managerId)}</span>
                <Badge variant="outline">Not provisioned yet</Badge>
              </span>
            )
          ) : (
            <Empty />
          )}
        </Definition>
      </Section>
      <Section title="Roles and entitlements">
        <Definition label="Roles">
          <MultiValueList items={multiValued(doc.roles)} render={(r) => text(r.value ?? r.display)} />
        </Definition>
        {others.map(([key, value]) => (
          <Definition key={key} label={key}>
            <Value value={value} />
          </Definition>
        ))}
      </Section>
      {extensions.map(([urn, value]) => (
        <Section key={urn} title={extensionTitle(urn)}>
          {value && typeof value === "object" && !Array.isArray(value) ? (
            Object.entries(value as Doc).map(([key, v]) => (
              <Definition key={key} label={key}>
                <Value value={v} />
              </Definition>
            ))
          ) : (
            <Definition label="Value">
              <Value value={value} />
            </Definition>
          )}
        </Section>
      ))}
    </div>
  );
}
