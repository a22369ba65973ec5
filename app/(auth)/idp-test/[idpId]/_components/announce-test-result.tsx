"use client";

import * as React from "react";
import { IDP_TEST_CHANNEL, type IdpTestAnnouncement } from "@/lib/auth/idp-test-channel";

/** Tells the console tab that opened this test that a new result is stored. Renders nothing. */
export function AnnounceTestResult(announcement: IdpTestAnnouncement) {
  const { idpId, testedAt } = announcement;
  React.useEffect(() => {
    if (typeof BroadcastChannel === "undefined") return;
    const channel = new BroadcastChannel(IDP_TEST_CHANNEL);
    channel.postMessage({ idpId, testedAt } satisfies IdpTestAnnouncement);
    channel.close();
  }, [idpId, testedAt]);
  return null;
}
