"use client";

import * as React from "react";
import { useActionState } from "react";
import { useRouter } from "next/navigation";
import { DownloadCloud, Loader2 } from "lucide-react";
import { toast } from "sonner";
import { discoverIdpAction, saveIdpAction } from "@/app/(console)/identity-providers/actions";
import type { ActionState } from "@/lib/actions/action";
import { useActionFeedback } from "@/lib/actions/use-action-feedback";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyField } from "@/components/ui/copy-button";
import { Field, FormError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { ActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { Switch } from "@/components/ui/switch";
import { TenantCombobox } from "@/components/console/tenant-combobox";
import { Textarea } from "@/components/ui/textarea";
import { deriveEntraIssuer } from "@/lib/auth/entra";
import { EMPTY_IDP, SAML_DEFAULTS, type IdpFormValues } from "@/lib/admin/identity-provider-fields";
import { certificatesText, SamlFields, type SamlUrls } from "./saml-fields";

type Discovered = Partial<Pick<IdpFormValues, "issuer" | "authorizationUrl" | "tokenUrl" | "jwksUrl" | "userinfoUrl" | "logoutUrl" | "pkce" | "authMethod">>;

type Props = {
  tenantId: string | null;
  /** No tenant yet: the form asks for one (any tenant the viewer may change). */
  pickTenant?: boolean;
  idpId?: string;
  /** A new provider's id, fixed when the form opens; the Redirect URL already uses it. */
  newIdpId?: string;
  initial: IdpFormValues;
  hasClientSecret: boolean;
  redirectUrl: string;
  /** A SAML provider's service-provider URLs (lib/saml/urls.ts). */
  samlUrls: SamlUrls;
  readOnly: boolean;
};

/** OAuth fields a SAML provider does not use; the form posts them empty. */
const OAUTH_ONLY = ["clientId", "authorizationUrl", "tokenUrl", "jwksUrl", "userinfoUrl", "resource", "audience"] as const;
/** Fields with fixed defaults the form still posts while the SAML fields are shown. */
const OAUTH_DEFAULTS = ["authMethod", "grantType", "scopes", "secureJwks", "pkce"] as const;

function TextField({
  name,
  label,
  values,
  set,
  errors,
  description,
  ...props
}: {
  name: keyof IdpFormValues;
  label: string;
  values: IdpFormValues;
  set: (name: keyof IdpFormValues, value: string | boolean) => void;
  errors: Record<string, string>;
  description?: React.ReactNode;
} & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field id={`idp-${name}`} label={label} error={errors[name]} description={description}>
      <Input
        name={name}
        value={String(values[name] ?? "")}
        onChange={(e) => set(name, e.target.value)}
        spellCheck={false}
        aria-required={props.required || undefined}
        {...props}
      />
    </Field>
  );
}

function SwitchField({
  name,
  label,
  description,
  values,
  set,
}: {
  name: "secureJwks" | "pkce";
  label: string;
  description: string;
  values: IdpFormValues;
  set: (name: keyof IdpFormValues, value: string | boolean) => void;
}) {
  return (
    <div className="flex items-start justify-between gap-4 rounded-lg border p-3">
      <div className="grid gap-1">
        <Label htmlFor={`idp-${name}`}>{label}</Label>
        <p id={`idp-${name}-description`} className="text-xs text-muted-foreground">
          {description}
        </p>
      </div>
      <Switch
        id={`idp-${name}`}
        name={name}
        checked={values[name]}
        onCheckedChange={(checked) => set(name, checked)}
        aria-describedby={`idp-${name}-description`}
      />
    </div>
  );
}

export function IdpForm({ tenantId, pickTenant = false, idpId, newIdpId, initial, hasClientSecret, redirectUrl, samlUrls, readOnly }: Props) {
  const router = useRouter();
  const [state, action, pending] = useActionState<ActionState<{ id: string }>, FormData>(saveIdpAction, { ok: false });
  const [values, setValues] = React.useState<IdpFormValues>(initial);
  const [selectedTenant, setSelectedTenant] = React.useState(tenantId ?? "");
  const [discoverySource, setDiscoverySource] = React.useState("");
  const [discoveryError, setDiscoveryError] = React.useState<string>();
  const [discovering, startDiscovery] = React.useTransition();
  const [secret, setSecret] = React.useState("");
  const [certificates, setCertificates] = React.useState(() => certificatesText(initial.samlCertificates));
  const errors = state.fieldErrors ?? {};

  const set = React.useCallback(
    (name: keyof IdpFormValues, value: string | boolean) =>
      setValues((v) => {
        const next = { ...v, [name]: value };
        // An Entra Authentication URL names the directory, and with it the issuer; fill it while it is empty.
        if (name === "authorizationUrl" && typeof value === "string" && !v.issuer.trim()) next.issuer = deriveEntraIssuer(value) ?? "";
        // SAML names its claims by URI: switching type swaps untouched defaults for the other kind's.
        if (name === "type" && value === "saml" && v.type !== "saml") {
          if (v.usernameAttribute === EMPTY_IDP.usernameAttribute) next.usernameAttribute = SAML_DEFAULTS.usernameAttribute;
          if (v.displayNameAttribute === EMPTY_IDP.displayNameAttribute) next.displayNameAttribute = SAML_DEFAULTS.displayNameAttribute;
        }
        if (name === "type" && value !== "saml" && v.type === "saml") {
          if (v.usernameAttribute === SAML_DEFAULTS.usernameAttribute) next.usernameAttribute = EMPTY_IDP.usernameAttribute;
          if (v.displayNameAttribute === SAML_DEFAULTS.displayNameAttribute) next.displayNameAttribute = EMPTY_IDP.displayNameAttribute;
        }
        return next;
      }),
    [],
  );

  const onSaved = React.useCallback(() => {
    setSecret("");
    if (!idpId && state.data?.id) router.replace(`/identity-providers/${state.data.id}`);
    else router.refresh();
  }, [idpId, state.data, router]);
  useActionFeedback(state, { onSuccess: onSaved });

  function importDiscovery() {
    setDiscoveryError(undefined);
    startDiscovery(async () => {
      const result = await discoverIdpAction(null, { tenantId: selectedTenant, source: discoverySource });
      if (!result.ok || !result.data) {
        setDiscoveryError(result.fieldErrors?.source ?? result.error ?? "Discovery failed");
        return;
      }
      const found = result.data as Discovered;
      setValues((v) => {
        const next = { ...v };
        for (const [key, value] of Object.entries(found)) if (value !== undefined) (next as Record<string, unknown>)[key] = value;
        return next;
      });
      toast.success(result.message ?? "Endpoints imported");
    });
  }

  const common = { values, set, errors, disabled: readOnly };
  const issuerField = (
    <TextField
      name="issuer"
      label="Issuer URI"
      type="url"
      placeholder="https://login.microsoftonline.com/<directory-id>/v2.0"
      required={values.type === "oidc"}
      description={
        values.type === "oidc"
          ? (
            <>
              <strong className="font-semibold text-foreground">Required for OpenID Connect.</strong> Filled by Import from discovery, or from an
              Entra Authentication URL’s directory ID.
            </>
          )
          : "When set, ID tokens must carry this issuer."
      }
      {...common}
    />
  );

  return (
    <ActionForm action={action} className="grid gap-6" noValidate>
      <input type="hidden" name="idpId" value={idpId ?? ""} />
      {idpId ? null : <input type="hidden" name="newIdpId" value={newIdpId ?? ""} />}
      {pickTenant ? null : <input type="hidden" name="tenantId" value={selectedTenant} />}
      <fieldset disabled={readOnly} className="contents">
        <Card>
          <CardHeader>
            <CardTitle>General</CardTitle>
            <CardDescription>What this provider is called in the console and on the sign-in page.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4 sm:grid-cols-2">
            {pickTenant ? (
              <div className="grid gap-1.5">
                <TenantCombobox id="idp-tenantId" value={null} access="write" onChange={(t) => setSelectedTenant(t?.id ?? "")} />
                {errors.tenantId ? (
                  <p className="text-sm text-destructive" role="alert">
                    {errors.tenantId}
                  </p>
                ) : null}
              </div>
            ) : null}
            <Field
              id="idp-type"
              label="Identity Provider Type"
              error={errors.type}
              description={values.type === "saml" ? "SAML 2.0: for an Entra enterprise application set up for SAML single sign-on." : "OpenID Connect requires an Issuer URI."}
            >
              <Select name="type" value={values.type} onChange={(e) => set("type", e.target.value)}>
                <option value="oauth2">OAuth2</option>
                <option value="oidc">OpenID Connect</option>
                <option value="saml">SAML 2.0</option>
              </Select>
            </Field>
            <TextField name="name" label="Name" placeholder="Microsoft Entra ID" autoComplete="off" {...common} />
            <Field id="idp-description" label="Description" error={errors.description} className="sm:col-span-2">
              <Textarea name="description" value={values.description} onChange={(e) => set("description", e.target.value)} rows={2} />
            </Field>
          </CardContent>
        </Card>

        {values.type === "saml" ? (
          <>
            <SamlFields
              tenantId={selectedTenant}
              values={values}
              set={set}
              certificates={certificates}
              setCertificates={setCertificates}
              errors={errors}
              urls={samlUrls}
              saved={Boolean(idpId)}
              readOnly={readOnly}
            />
            {OAUTH_ONLY.map((name) => (
              <input key={name} type="hidden" name={name} value="" />
            ))}
            {OAUTH_DEFAULTS.map((name) => (
              <input key={name} type="hidden" name={name} value={String(values[name])} />
            ))}
          </>
        ) : (
          <>
        {readOnly ? null : (
          <Card>
            <CardHeader>
              <CardTitle>Import from discovery</CardTitle>
              <CardDescription>
                Paste the issuer URL, its <span className="font-mono">.well-known/openid-configuration</span> URL, or your Entra directory (tenant) ID, and
                the endpoint fields fill themselves.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <div className="grid gap-2">
                <Label htmlFor="idp-discovery">Issuer, discovery URL or directory (tenant) ID</Label>
                <div className="flex flex-col gap-2 sm:flex-row">
                  <Input
                    id="idp-discovery"
                    value={discoverySource}
                    onChange={(e) => setDiscoverySource(e.target.value)}
                    onKeyDown={(e) => {
                      if (e.key === "Enter") {
                        e.preventDefault();
                        importDiscovery();
                      }
                    }}
                    placeholder="https://login.microsoftonline.com/<tenant-id>/v2.0"
                    aria-invalid={discoveryError ? true : undefined}
                    aria-describedby={discoveryError ? "idp-discovery-error" : undefined}
                    spellCheck={false}
                  />
                  <Button type="button" variant="secondary" onClick={importDiscovery} disabled={discovering || !discoverySource.trim()}>
                    {discovering ? <Loader2 className="animate-spin" aria-hidden /> : <DownloadCloud aria-hidden />}
                    Import
                  </Button>
                </div>
                {discoveryError ? (
                  <p id="idp-discovery-error" className="text-sm text-destructive">
                    {discoveryError}
                  </p>
                ) : null}
              </div>
            </CardContent>
          </Card>
        )}

        <Card>
          <CardHeader>
            <CardTitle>Required OAuth 2.0 fields</CardTitle>
            <CardDescription>From the app registration in your identity provider.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4 sm:grid-cols-2">
            <Field id="idp-authMethod" label="Authentication Method" error={errors.authMethod}>
              <Select name="authMethod" value={values.authMethod} onChange={(e) => set("authMethod", e.target.value)}>
                <option value="client_secret_post">client_secret_post</option>
                <option value="client_secret_basic">client_secret_basic</option>
              </Select>
            </Field>
            <TextField name="clientId" label="Client ID" description="Entra: Application (client) ID" autoComplete="off" {...common} />
            <Field
              id="idp-clientSecret"
              label={
                <span className="flex items-center gap-2">
                  Client Secret {hasClientSecret ? <Badge variant="secondary">•••• set</Badge> : null}
                </span>
              }
              error={errors.clientSecret}
              description={hasClientSecret ? "Stored encrypted and never shown again. Type a new value to replace it; leave blank to keep it. Changing an endpoint or the Issuer URI needs it typed again, and a new Test sign-in before the provider is active." : "Stored encrypted; it is never shown again after saving."}
              className="sm:col-span-2"
            >
              <Input
                name="clientSecret"
                type="password"
                value={secret}
                onChange={(e) => setSecret(e.target.value)}
                placeholder={hasClientSecret ? "•••• set — leave blank to keep" : ""}
                autoComplete="new-password"
              />
            </Field>
            <TextField
              name="authorizationUrl"
              label="Authentication URL"
              type="url"
              placeholder="https://login.microsoftonline.com/…/oauth2/v2.0/authorize"
              description="OIDC: authorization endpoint. Entra: App registration → Overview → Endpoints."
              {...common}
            />
            <TextField name="tokenUrl" label="Access Token URL" type="url" placeholder="https://login.microsoftonline.com/…/oauth2/v2.0/token" {...common} />
            <div className="sm:col-span-2">
              <CopyField
                id="idp-redirectUrl"
                label="Redirect URL"
                value={redirectUrl}
                description={
                  idpId
                    ? "Add this as a Web redirect URI in the app registration."
                    : "Final already: add it as a Web redirect URI in the app registration now; it stays the same when you save."
                }
              />
            </div>
            <TextField
              name="jwksUrl"
              label="JSON Web Key Set URL"
              type="url"
              placeholder="https://login.microsoftonline.com/…/discovery/v2.0/keys"
              description="JWKS: the provider's signing keys."
              {...common}
            />
            {values.type === "oidc" ? issuerField : null}
            <TextField
              name="usernameAttribute"
              label="Username Attribute"
              list="idp-claims"
              description="The claim that holds the user's name: preferred_username, upn, email…"
              {...common}
            />
            <datalist id="idp-claims">
              <option value="preferred_username" />
              <option value="upn" />
              <option value="email" />
              <option value="oid" />
              <option value="sub" />
            </datalist>
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>Additional OAuth 2.0 fields</CardTitle>
            <CardDescription>Optional; the defaults suit Microsoft Entra ID.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4 sm:grid-cols-2">
            {values.type === "oidc" ? null : issuerField}
            <TextField name="userinfoUrl" label="User Info URL" type="url" placeholder="https://graph.microsoft.com/oidc/userinfo" {...common} />
            <SwitchField name="secureJwks" label="Secure JWKS URL" description="Only fetch signing keys over https with a valid certificate." values={values} set={set} />
            <TextField name="logoutUrl" label="Logout URL" type="url" {...common} />
            <TextField name="resource" label="Resource" description="Sent as the resource parameter, when the provider needs one." {...common} />
            <TextField name="audience" label="Audience" description="Expected aud claim; defaults to the Client ID." {...common} />
            <TextField name="displayNameAttribute" label="Display Name Attribute" list="idp-claims-name" {...common} />
            <datalist id="idp-claims-name">
              <option value="name" />
              <option value="given_name" />
            </datalist>
            <Field id="idp-grantType" label="Authorisation Grant Type" error={errors.grantType}>
              <Select name="grantType" value={values.grantType} onChange={(e) => set("grantType", e.target.value)}>
                <option value="authorization_code">Authorization code</option>
              </Select>
            </Field>
            <TextField name="scopes" label="Scopes (spaces or comma separated)" {...common} />
            <TextField name="buttonLabel" label="Provider Display Name" description="The sign-in button's text, e.g. “Sign in with Microsoft”." {...common} />
            <SwitchField name="pkce" label="PKCE Enabled" description="Proof Key for Code Exchange (S256); keep it on unless the provider rejects it." values={values} set={set} />
          </CardContent>
        </Card>
          </>
        )}
      </fieldset>
      <FormError message={state.ok ? undefined : state.error} />
      {readOnly ? null : (
        <div className="flex justify-end">
          <SubmitButton pending={pending}>Save Identity Provider</SubmitButton>
        </div>
      )}
    </ActionForm>
  );
}
