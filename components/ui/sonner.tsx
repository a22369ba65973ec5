"use client";

import { useTheme } from "next-themes";
import { Toaster as Sonner, type ToasterProps } from "sonner";

/**
 * Sonner's Toaster in the page's theme. Sonner cannot see the class next-themes puts on <html>
 * and defaults to light, so it is told the theme in use (System resolved to light or dark).
 */
export function Toaster(props: ToasterProps) {
  const { resolvedTheme } = useTheme();
  return <Sonner theme={resolvedTheme === "dark" ? "dark" : "light"} richColors closeButton position="top-right" {...props} />;
}
