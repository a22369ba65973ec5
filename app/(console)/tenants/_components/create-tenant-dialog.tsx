"use client";

import * as React from "react";
import { useActionState } from "react";
import { Plus } from "lucide-react";
import { createTenantAction } from "@/app/(console)/tenants/actions";
import type { ActionState } from "@/lib/actions/action";
import { useActionFeedback } from "@/lib/actions/use-action-feedback";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field, FormError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { slugify } from "@/lib/slug";

function CreateTenantForm() {
  const [state, action, pending] = useActionState<ActionState<undefined>, FormData>(createTenantAction, { ok: false });
  useActionFeedback(state);
  const [name, setName] = React.useState(state.values?.name ?? "");
  const [slug, setSlug] = React.useState(state.values?.slug ?? "");
  const [slugEdited, setSlugEdited] = React.useState(false);
  const errors = state.fieldErrors ?? {};
  return (
    <ActionForm action={action} className="grid gap-4" noValidate>
      <Field id="tenant-name" label="Name" error={errors.name}>
        <Input
          name="name"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            if (!slugEdited) setSlug(slugify(e.target.value));
          }}
          placeholder="Contoso Ltd"
          autoComplete="organization"
          required
        />
      </Field>
      <Field id="tenant-slug" label="Slug" error={errors.slug} description="Used in sign-in URLs: /t/<slug>/login. Filled in from the name.">
        <Input
          name="slug"
          value={slug}
          onChange={(e) => {
            setSlug(e.target.value);
            setSlugEdited(true);
          }}
          className="font-mono"
          spellCheck={false}
          required
        />
      </Field>
      <Field id="tenant-domains" label="Email domains" error={errors.domains} description="Comma-separated. Each is claimed unverified: people with it are sent to this tenant's sign-in once its DNS record is verified on the tenant page.">
        <Input name="domains" defaultValue={state.values?.domains ?? ""} placeholder="contoso.com, contoso.co.uk" spellCheck={false} />
      </Field>
      <FormError message={state.fieldErrors ? undefined : state.error} />
      <DialogFooter>
        <SubmitButton pending={pending}>Create tenant</SubmitButton>
      </DialogFooter>
    </ActionForm>
  );
}

export function CreateTenantDialog({ defaultOpen = false }: { defaultOpen?: boolean }) {
  const [open, setOpen] = React.useState(defaultOpen);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <Plus aria-hidden />
          New tenant
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Create a tenant</DialogTitle>
          <DialogDescription>One tenant per organisation. You can add its identity provider and provisioning tokens next.</DialogDescription>
        </DialogHeader>
        {open ? <CreateTenantForm /> : null}
      </DialogContent>
    </Dialog>
  );
}
