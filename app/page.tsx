import { redirect } from "next/navigation";
import { getViewer } from "@/lib/auth/guards";
import { hasConsoleAccess } from "@/lib/auth/roles";

export default async function Home() {
  const viewer = await getViewer();
  if (!viewer) redirect("/login");
  redirect(hasConsoleAccess(viewer) ? "/dashboard" : "/me");
}
