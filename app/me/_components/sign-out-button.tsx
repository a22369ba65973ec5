import { LogOut } from "lucide-react";
import { signOutAction } from "@/lib/actions/sign-out";
import { SubmitButton } from "@/components/ui/submit-button";

export function SignOutButton({ variant = "outline" }: { variant?: "outline" | "ghost" | "default" }) {
  return (
    <form action={signOutAction}>
      <SubmitButton variant={variant}>
        <LogOut aria-hidden />
        Sign out
      </SubmitButton>
    </form>
  );
}
