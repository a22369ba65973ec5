import Link from "next/link";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { Button } from "@/components/ui/button";

/** Keyset paging links: previous/next carry cursors, `page` only numbers the summary. */
export function Pager({
  summary,
  base,
  page = 1,
  prevCursor,
  nextCursor,
}: {
  summary?: string;
  base: URLSearchParams;
  page?: number;
  prevCursor?: string | null;
  nextCursor?: string | null;
}) {
  function href(cursor: { after?: string; before?: string }, nextPage: number) {
    const params = new URLSearchParams(base);
    if (cursor.after) params.set("after", cursor.after);
    if (cursor.before) params.set("before", cursor.before);
    if (nextPage > 1) params.set("page", String(nextPage));
    return `?${params.toString()}`;
  }
  return (
    <nav aria-label="Pagination" className="flex flex-col items-center justify-between gap-2 sm:flex-row">
      <p className="text-sm text-muted-foreground" aria-live="polite">
        {summary}
      </p>
      <div className="flex gap-2">
        {!prevCursor && page > 1 ? (
          <Button asChild variant="outline" size="sm">
            <Link href={`?${base.toString()}`}>
              <ChevronLeft aria-hidden />
              First page
            </Link>
          </Button>
        ) : prevCursor ? (
          <Button asChild variant="outline" size="sm">
            <Link href={href({ before: prevCursor }, page - 1)}>
              <ChevronLeft aria-hidden />
              Previous
            </Link>
          </Button>
        ) : (
          <Button variant="outline" size="sm" disabled>
            <ChevronLeft aria-hidden />
            Previous
          </Button>
        )}
        {nextCursor ? (
          <Button asChild variant="outline" size="sm">
            <Link href={href({ after: nextCursor }, page + 1)}>
              Next
              <ChevronRight aria-hidden />
            </Link>
          </Button>
        ) : (
          <Button variant="outline" size="sm" disabled>
            Next
            <ChevronRight aria-hidden />
          </Button>
        )}
      </div>
    </nav>
  );
}
