import Link from "next/link";
import { CheckCircle2, Circle } from "lucide-react";
import { cn } from "@/lib/utils";

export type ChecklistStep = { title: string; description: string; done: boolean; href?: string; cta?: string };

/** The three steps that get a tenant from nothing to Entra provisioning. */
export function SetupChecklist({ steps, heading = "Get this tenant connected" }: { steps: ChecklistStep[]; heading?: string }) {
  const next = steps.findIndex((s) => !s.done);
  return (
    <section aria-label={heading} className="rounded-lg border bg-muted/30 p-4">
      <h3 className="mb-3 text-sm font-semibold">{heading}</h3>
      <ol className="grid gap-3">
        {steps.map((step, index) => (
          <li key={step.title} className="flex gap-3">
            {step.done ? (
              <CheckCircle2 className="mt-0.5 size-5 shrink-0 text-success" aria-hidden />
            ) : (
              <Circle className={cn("mt-0.5 size-5 shrink-0", index === next ? "text-primary" : "text-muted-foreground")} aria-hidden />
            )}
            <div className="min-w-0 flex-1">
              <p className={cn("text-sm font-medium", step.done && "text-muted-foreground line-through")}>
                {index + 1}. {step.title}
                <span className="sr-only">{step.done ? " (done)" : " (to do)"}</span>
              </p>
              <p className="text-sm text-muted-foreground">{step.description}</p>
              {!step.done && step.href && index === next ? (
                <Link
                  href={step.href}
                  className="mt-1 inline-block rounded-sm text-sm font-medium text-primary underline-offset-4 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                >
                  {step.cta ?? "Start"} →
                </Link>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function tenantSetupSteps(tenant: { id: string; idpCount: number; activeTokens: number; lastScimRequestAt: Date | null }): ChecklistStep[] {
  return [
    {
      title: "Add an identity provider",
      description: "Register Gatehouse in Microsoft Entra (or any OIDC provider) and add it here for single sign-on.",
      done: tenant.idpCount > 0,
      href: `/identity-providers/new?tenantId=${tenant.id}`,
      cta: "Add Identity Provider",
    },
    {
      title: "Generate a provisioning token",
      description: "Create a SCIM token for this tenant; it is shown once, so copy it straight into Entra.",
      done: tenant.activeTokens > 0,
      href: `/tenants/${tenant.id}#provisioning-tokens`,
      cta: "Generate Provisioning Token",
    },
    {
      title: "Configure provisioning in Entra",
      description: "Paste the Tenant URL and token into the enterprise app's Provisioning page, test the connection and start provisioning.",
      done: tenant.lastScimRequestAt !== null,
      href: `/tenants/${tenant.id}#scim-provisioning`,
      cta: "Show the Tenant URL",
    },
  ];
}
