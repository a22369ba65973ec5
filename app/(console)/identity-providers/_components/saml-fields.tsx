"use client";

import * as React from "react";
import { FileUp, DownloadCloud, Loader2 } from "lucide-react";
import { toast } from "sonner";
import { importSamlMetadataAction } from "@/app/(console)/identity-providers/actions";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyField } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import type { IdpFormValues } from "@/lib/admin/identity-provider-fields";
import type { samlSpUrls } from "@/lib/saml/urls";

export type SamlUrls = ReturnType<typeof samlSpUrls>;

const MAX_FILE_BYTES = 512 * 1024;

/** Certificates as the textarea shows them: one PEM block each. */
export function certificatesText(bodies: string[]) {
  return bodies
    .map((body) => `-----BEGIN CERTIFICATE-----\n${(body.match(/.{1,64}/g) ?? []).join("\n")}\n-----END CERTIFICATE-----`)
    .join("\n\n");
}

type Props = {
  tenantId: string;
  values: IdpFormValues;
  set: (name: keyof IdpFormValues, value: string | boolean) => void;
  certificates: string;
  setCertificates: (text: string) => void;
  errors: Record<string, string>;
  urls: SamlUrls;
  saved: boolean;
  readOnly: boolean;
};

/**
 * The SAML 2.0 part of the identity-provider form: the values Entra's "Basic SAML
 * Configuration" asks for (final before the first save, with copy buttons), the metadata
 * import (App Federation Metadata Url or the XML file), and the IdP fields it fills, which
 * stay editable by hand.
 */
export function SamlFields({ tenantId, values, set, certificates, setCertificates, errors, urls, saved, readOnly }: Props) {
  const [metadataUrl, setMetadataUrl] = React.useState("");
  const [importError, setImportError] = React.useState<string>();
  const [importing, startImport] = React.useTransition();
  const fileRef = React.useRef<HTMLInputElement>(null);

  function runImport(source: { url?: string; xml?: string }) {
    setImportError(undefined);
    startImport(async () => {
      const result = await importSamlMetadataAction(null, { tenantId, ...source });
      if (!result.ok || !result.data) {
        setImportError(result.fieldErrors?.url ?? result.fieldErrors?.xml ?? result.error ?? "The metadata could not be imported");
        return;
      }
      set("issuer", result.data.entityId);
      set("samlSsoUrl", result.data.ssoUrl);
      if (result.data.logoutUrl) set("logoutUrl", result.data.logoutUrl);
      setCertificates(certificatesText(result.data.certificates));
      toast.success(result.message ?? "Metadata imported");
    });
  }

  async function onFile(event: React.ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setImportError("The metadata file is larger than 512 KB");
      return;
    }
    runImport({ xml: await file.text() });
  }

  const text = (name: keyof IdpFormValues, label: string, props: React.InputHTMLAttributes<HTMLInputElement> & { description?: React.ReactNode } = {}) => {
    const { description, ...rest } = props;
    return (
      <Field id={`idp-${name}`} label={label} error={errors[name]} description={description}>
        <Input name={name} value={String(values[name] ?? "")} onChange={(e) => set(name, e.target.value)} spellCheck={false} disabled={readOnly} {...rest} />
      </Field>
    );
  };

  return (
    <>
      <Card>
        <CardHeader>
          <CardTitle>Basic SAML Configuration</CardTitle>
          <CardDescription>
            Enter these in the Entra enterprise application (Single sign-on → SAML → Basic SAML Configuration).{" "}
            {saved ? "" : "They are final already and stay the same when you save."} The service-provider metadata is at{" "}
            <a className="font-mono underline underline-offset-2" href={urls.metadataUrl} target="_blank" rel="noreferrer">
              {urls.metadataUrl}
            </a>{" "}
            {saved ? "" : "(after the first save)"}.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <CopyField id="saml-entityId" label="Identifier (Entity ID)" value={urls.entityId} />
          <CopyField id="saml-acsUrl" label="Reply URL (Assertion Consumer Service URL)" value={urls.acsUrl} />
          <CopyField id="saml-signOnUrl" label="Sign on URL" value={urls.signOnUrl} description="Optional in Entra; set it so My Apps starts an SP-initiated sign-in." />
          <CopyField id="saml-logoutUrl" label="Logout URL" value={urls.logoutUrl} description="Optional; signing out at the identity provider ends the Gatehouse session too." />
        </CardContent>
      </Card>

      {readOnly ? null : (
        <Card>
          <CardHeader>
            <CardTitle>Import from metadata</CardTitle>
            <CardDescription>
              Paste the App Federation Metadata Url (Entra: SAML Certificates), or upload the Federation Metadata XML file. The fields below fill
              themselves; you can also enter them by hand.
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-2">
            <Label htmlFor="saml-metadataUrl">App Federation Metadata Url</Label>
            <div className="flex flex-col gap-2 sm:flex-row">
              <Input
                id="saml-metadataUrl"
                value={metadataUrl}
                onChange={(e) => setMetadataUrl(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === "Enter") {
                    e.preventDefault();
                    if (metadataUrl.trim()) runImport({ url: metadataUrl });
                  }
                }}
                placeholder="https://login.microsoftonline.com/<tenant-id>/federationmetadata/2007-06/federationmetadata.xml?appid=…"
                aria-invalid={importError ? true : undefined}
                aria-describedby={importError ? "saml-import-error" : undefined}
                spellCheck={false}
              />
              <Button type="button" variant="secondary" onClick={() => runImport({ url: metadataUrl })} disabled={importing || !metadataUrl.trim()}>
                {importing ? <Loader2 className="animate-spin" aria-hidden /> : <DownloadCloud aria-hidden />}
                Import
              </Button>
              <Button type="button" variant="outline" onClick={() => fileRef.current?.click()} disabled={importing}>
                <FileUp aria-hidden />
                Upload XML
              </Button>
              <input ref={fileRef} type="file" accept=".xml,application/xml,text/xml,application/samlmetadata+xml" className="sr-only" tabIndex={-1} aria-label="Federation metadata XML file" onChange={onFile} />
            </div>
            {importError ? (
              <p id="saml-import-error" className="text-sm text-destructive" role="alert">
                {importError}
              </p>
            ) : null}
          </CardContent>
        </Card>
      )}

      <Card>
        <CardHeader>
          <CardTitle>Identity provider</CardTitle>
          <CardDescription>From the enterprise application’s “Set up” section, or the metadata.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 sm:grid-cols-2">
          {text("issuer", "Entity ID (Microsoft Entra Identifier)", { placeholder: "https://sts.windows.net/<tenant-id>/", required: true })}
          {text("samlSsoUrl", "Login URL (SSO URL)", { type: "url", placeholder: "https://login.microsoftonline.com/<tenant-id>/saml2", required: true })}
          {text("logoutUrl", "Logout URL", { type: "url", placeholder: "https://login.microsoftonline.com/<tenant-id>/saml2" })}
          <Field
            id="idp-samlCertificates"
            label="Signing certificates"
            error={errors.samlCertificates}
            description="Entra: Certificate (Base64). Several, one after another, during a certificate rollover; only responses signed by one of these are accepted."
            className="sm:col-span-2"
          >
            <Textarea
              name="samlCertificates"
              value={certificates}
              onChange={(e) => setCertificates(e.target.value)}
              rows={6}
              className="font-mono text-xs"
              spellCheck={false}
              placeholder="-----BEGIN CERTIFICATE-----"
              disabled={readOnly}
            />
          </Field>
          {text("usernameAttribute", "Username Attribute", { list: "saml-claims", description: "The claim with the user’s name; Entra’s UPN claim by default." })}
          {text("displayNameAttribute", "Display Name Attribute", { list: "saml-claims" })}
          <datalist id="saml-claims">
            <option value="http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name" />
            <option value="http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" />
            <option value="http://schemas.microsoft.com/identity/claims/displayname" />
            <option value="http://schemas.microsoft.com/identity/claims/objectidentifier" />
          </datalist>
          {text("buttonLabel", "Provider Display Name", { description: "The sign-in button’s text, e.g. “Sign in with Microsoft”." })}
          <div className="flex items-start justify-between gap-4 rounded-lg border p-3 sm:col-span-2">
            <div className="grid gap-1">
              <Label htmlFor="idp-samlAllowIdpInitiated">Allow IdP-initiated sign-in</Label>
              <p id="idp-samlAllowIdpInitiated-description" className="text-xs text-muted-foreground">
                Accept responses Gatehouse did not ask for (Entra My Apps without a Sign on URL). Off is safer: every sign-in then starts here and is bound to
                the browser that started it.
              </p>
            </div>
            <Switch
              id="idp-samlAllowIdpInitiated"
              name="samlAllowIdpInitiated"
              checked={values.samlAllowIdpInitiated}
              onCheckedChange={(checked) => set("samlAllowIdpInitiated", checked)}
              aria-describedby="idp-samlAllowIdpInitiated-description"
              disabled={readOnly}
            />
          </div>
        </CardContent>
      </Card>
    </>
  );
}
