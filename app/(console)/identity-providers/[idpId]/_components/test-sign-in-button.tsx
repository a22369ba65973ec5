"use client";

import * as React from "react";
import { useRouter } from "next/navigation";
import { ExternalLink, Loader2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { IDP_TEST_CHANNEL, isIdpTestAnnouncement } from "@/lib/auth/idp-test-channel";

const POLL_MS = 2_000;
const GIVE_UP_MS = 10 * 60_000;

/**
 * Opens the Test sign-in in a new tab and keeps this page current while it runs: the finished
 * test announces itself on a BroadcastChannel, and until a new result arrives the page also
 * re-renders every few seconds (for browsers or tabs the channel does not reach). "Last test"
 * and the activation choice then change without a reload.
 */
export function TestSignInButton({ idpId, lastTestedAt }: { idpId: string; lastTestedAt: string | null }) {
  const router = useRouter();
  const [waitingSince, setWaitingSince] = React.useState<{ at: number; lastTestedAt: string | null } | null>(null);
  const waiting = waitingSince !== null && waitingSince.lastTestedAt === lastTestedAt;

  React.useEffect(() => {
    if (typeof BroadcastChannel === "undefined") return;
    const channel = new BroadcastChannel(IDP_TEST_CHANNEL);
    channel.onmessage = (event: MessageEvent) => {
      if (isIdpTestAnnouncement(event.data) && event.data.idpId === idpId) router.refresh();
    };
    return () => channel.close();
  }, [idpId, router]);

  React.useEffect(() => {
    if (!waiting) return;
    const timer = window.setInterval(() => {
      if (Date.now() - waitingSince.at > GIVE_UP_MS) setWaitingSince(null);
      else router.refresh();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [waiting, waitingSince, router]);

  return (
    <div className="flex flex-col items-start gap-1 sm:items-end">
      <Button asChild variant="outline">
        <a
          href={`/api/idp-test/${idpId}/start`}
          target="_blank"
          rel="noopener noreferrer"
          onClick={() => setWaitingSince({ at: Date.now(), lastTestedAt })}
        >
          <ExternalLink aria-hidden />
          Test sign-in
        </a>
      </Button>
      <p className="flex items-center gap-1 text-xs text-muted-foreground" aria-live="polite">
        {waiting ? (
          <>
            <Loader2 className="size-3 animate-spin" aria-hidden />
            Waiting for the result from the other tab…
          </>
        ) : null}
      </p>
    </div>
  );
}
