import Link from "next/link";
import { ShieldCheck } from "lucide-react";

export function Brand() {
  return (
    <Link
      href="/dashboard"
      className="flex items-center gap-2 rounded-md font-semibold tracking-tight focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
    >
      <ShieldCheck className="size-5 text-primary" aria-hidden />
      Gatehouse
    </Link>
  );
}
