import { BarChart3 } from "lucide-react";

/** A chart's place before there is anything to draw. */
export function ChartEmpty({ title, description }: { title: string; description: string }) {
  return (
    <section aria-label={title} className="grid gap-3 rounded-xl border bg-card p-4 text-card-foreground shadow-sm">
      <h3 className="text-sm font-semibold">{title}</h3>
      <div className="flex flex-col items-center justify-center gap-2 rounded-lg border border-dashed px-4 py-10 text-center">
        <BarChart3 className="size-6 text-muted-foreground" aria-hidden />
        <p className="text-sm font-medium">No data yet</p>
        <p className="max-w-xs text-xs text-muted-foreground">{description}</p>
      </div>
    </section>
  );
}
