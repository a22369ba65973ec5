"use client";

import { useEffect, useRef } from "react";
import { toast } from "sonner";
import type { ActionState } from "./action";

/** Toasts the outcome of a server action once per answer. */
export function useActionFeedback(state: ActionState<unknown> | null | undefined, options: { success?: string; onSuccess?: () => void } = {}) {
  const seen = useRef<number | undefined>(undefined);
  const { success, onSuccess } = options;
  useEffect(() => {
    if (!state?.at || seen.current === state.at) return;
    seen.current = state.at;
    if (state.ok) {
      const message = state.message ?? success;
      if (message) toast.success(message);
      onSuccess?.();
    } else if (state.error) {
      toast.error(state.error);
    }
  }, [state, success, onSuccess]);
}
