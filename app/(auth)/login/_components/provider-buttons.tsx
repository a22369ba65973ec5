import { KeyRound } from "lucide-react";
import { signInWithProvider } from "@/app/(auth)/login/actions";
import { SubmitButton } from "@/components/ui/submit-button";

export type ProviderButton = { id: string; label: string };

/** One button per active identity provider, labelled with its Provider Display Name. */
export function ProviderButtons({ providers, callbackUrl, loginHint }: { providers: ProviderButton[]; callbackUrl: string; loginHint?: string }) {
  return (
    <div className="grid gap-2">
      {providers.map((provider) => (
        <form key={provider.id} action={signInWithProvider}>
          <input type="hidden" name="idpId" value={provider.id} />
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          {loginHint ? <input type="hidden" name="loginHint" value={loginHint} /> : null}
          <SubmitButton variant="outline" className="w-full">
            <KeyRound aria-hidden />
            {provider.label}
          </SubmitButton>
        </form>
      ))}
    </div>
  );
}
