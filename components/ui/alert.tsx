import * as React from "react";
import { cva, type VariantProps } from "class-variance-authority";
import { cn } from "@/lib/utils";

const alertVariants = cva("flex gap-3 rounded-lg border px-4 py-3 text-sm [&>svg]:mt-0.5 [&>svg]:size-4 [&>svg]:shrink-0", {
  variants: {
    variant: {
      info: "bg-card text-card-foreground",
      warning: "border-warning-foreground/30 bg-warning text-warning-foreground",
      destructive: "border-destructive/40 bg-destructive/10 text-destructive dark:text-[color-mix(in_oklch,var(--destructive),white_35%)]",
      success: "border-success/40 bg-success/10 text-foreground",
    },
  },
  defaultVariants: { variant: "info" },
});

export function Alert({ className, variant, ...props }: React.HTMLAttributes<HTMLDivElement> & VariantProps<typeof alertVariants>) {
  return <div role={variant === "destructive" || variant === "warning" ? "alert" : "status"} className={cn(alertVariants({ variant }), className)} {...props} />;
}
