import type { Metadata } from "next";
import { Toaster } from "sonner";
import { headers } from "next/headers";
import "./globals.css";

export const metadata: Metadata = {
  title: "Gatehouse",
  description: "Single sign-on and SCIM provisioning for your organisation.",
};

// Applies the saved or system colour scheme before first paint (no flash of the wrong theme).
const themeScript = `try{var t=localStorage.getItem("theme");if(t==="dark"||(!t&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`;

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-dvh antialiased">
        {children}
        <Toaster richColors closeButton position="top-right" />
      </body>
    </html>
  );
}
