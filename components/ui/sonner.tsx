"use client";

import type { CSSProperties } from "react";
import { useTheme } from "next-themes";
import { Toaster as Sonner, type ToasterProps } from "sonner";

// Sonner's light rich colours put text under WCAG AA's 4.5:1 on their own backgrounds (its
// green, red and blue near 4.3:1, orange near 3:1); the same hues, darker, pass. Dark ones pass.
const lightRichText = {
  "--success-text": "hsl(140, 100%, 22%)",
  "--info-text": "hsl(210, 92%, 35%)",
  "--warning-text": "hsl(31, 92%, 28%)",
  "--error-text": "hsl(360, 100%, 38%)",
} as CSSProperties;

/**
 * Sonner's Toaster in the page's theme. Sonner cannot see the class next-themes puts on <html>
 * and defaults to light, so it is told the theme in use (System resolved to light or dark).
 */
export function Toaster({ style, ...props }: ToasterProps) {
  const { resolvedTheme } = useTheme();
  const dark = resolvedTheme === "dark";
  return (
    <Sonner theme={dark ? "dark" : "light"} richColors closeButton position="top-right" style={{ ...(dark ? {} : lightRichText), ...style }} {...props} />
  );
}
