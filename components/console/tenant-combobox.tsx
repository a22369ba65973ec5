"use client";

import * as React from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Check, ChevronsUpDown, Loader2 } from "lucide-react";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

export type TenantChoice = { id: string; name: string; slug?: string };

type Page = { items: TenantChoice[]; nextCursor: string | null };

const DEBOUNCE_MS = 250;
const ALL = "";

/**
 * A searchable tenant picker that asks /api/console/tenants as the viewer types, so it works
 * with any number of tenants. WAI-ARIA APG "Editable Combobox With List Autocomplete": the
 * input is the combobox, the popup a listbox; ↓/↑ move, Enter picks, Escape closes (a second
 * Escape restores the picked tenant's name), Home/End jump.
 *
 * On pick it `submit`s the enclosing GET form (with the other filters), `navigate`s to the
 * current URL with ?tenantId= (dropping paging cursors), or only updates its hidden `name`
 * field and calls `onChange` (`field`).
 */
export function TenantCombobox({
  id,
  label = "Tenant",
  name = "tenantId",
  value,
  allLabel,
  access = "read",
  behavior = "field",
  onChange,
  className,
  inputClassName,
}: {
  id: string;
  label?: string;
  name?: string;
  value: TenantChoice | null;
  /** Offer an entry for every tenant (value ""), e.g. "All tenants". */
  allLabel?: string;
  /** "write": only tenants the viewer may change. */
  access?: "read" | "write";
  behavior?: "field" | "submit" | "navigate";
  onChange?: (tenant: TenantChoice | null) => void;
  className?: string;
  inputClassName?: string;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const listboxId = `${id}-listbox`;
  const statusId = `${id}-status`;
  const inputRef = React.useRef<HTMLInputElement>(null);
  const hiddenRef = React.useRef<HTMLInputElement>(null);
  const listRef = React.useRef<HTMLUListElement>(null);

  const [selected, setSelected] = React.useState<TenantChoice | null>(value);
  const [text, setText] = React.useState(value?.name ?? (allLabel && !value ? allLabel : ""));
  const [query, setQuery] = React.useState("");
  const [open, setOpen] = React.useState(false);
  const [items, setItems] = React.useState<TenantChoice[]>([]);
  const [nextCursor, setNextCursor] = React.useState<string | null>(null);
  const [loading, setLoading] = React.useState(false);
  const [failed, setFailed] = React.useState(false);
  const [active, setActive] = React.useState(-1);

  // A new value from the server (the page re-rendered for another tenant) replaces the local pick.
  const [lastValue, setLastValue] = React.useState(value);
  if (value?.id !== lastValue?.id) {
    setLastValue(value);
    setSelected(value);
    setText(value?.name ?? (allLabel ? allLabel : ""));
  }

  const options: TenantChoice[] = React.useMemo(
    () => (allLabel && !query ? [{ id: ALL, name: allLabel }, ...items] : items),
    [allLabel, query, items],
  );

  const fetchPage = React.useCallback(
    async (q: string, cursor: string | null, signal?: AbortSignal): Promise<Page> => {
      const params = new URLSearchParams();
      if (q) params.set("q", q);
      if (cursor) params.set("cursor", cursor);
      if (access === "write") params.set("access", "write");
      const response = await fetch(`/api/console/tenants?${params.toString()}`, { signal, headers: { accept: "application/json" } });
      if (!response.ok) throw new Error(`tenants: ${response.status}`);
      return (await response.json()) as Page;
    },
    [access],
  );

  // Debounced search while the list is open.
  React.useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      setLoading(true);
      setFailed(false);
      try {
        const page = await fetchPage(query, null, controller.signal);
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setActive(page.items.length || (allLabel && !query) ? 0 : -1);
      } catch (error) {
        if (!controller.signal.aborted) {
          setFailed(true);
          setItems([]);
          setNextCursor(null);
          console.warn(error);
        }
      } finally {
        if (!controller.signal.aborted) setLoading(false);
      }
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [open, query, fetchPage, allLabel]);

  // The active option stays in view as the arrow keys move.
  React.useEffect(() => {
    if (!open || active < 0) return;
    listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: "nearest" });
  }, [open, active]);

  async function loadMore() {
    if (!nextCursor || loading) return;
    setLoading(true);
    try {
      const page = await fetchPage(query, nextCursor);
      setItems((current) => [...current, ...page.items.filter((t) => !current.some((c) => c.id === t.id))]);
      setNextCursor(page.nextCursor);
    } catch {
      setFailed(true);
    } finally {
      setLoading(false);
    }
  }

  function close(restore: boolean) {
    setOpen(false);
    setActive(-1);
    setQuery("");
    if (restore) setText(selected?.name ?? (allLabel ? allLabel : ""));
  }

  function pick(choice: TenantChoice) {
    const tenant = choice.id === ALL ? null : choice;
    setSelected(tenant);
    setText(tenant?.name ?? allLabel ?? "");
    setOpen(false);
    setActive(-1);
    setQuery("");
    onChange?.(tenant);
    if (behavior === "submit" && hiddenRef.current?.form) {
      // The form is sent now, before React re-renders the hidden field with the pick.
      hiddenRef.current.value = tenant?.id ?? "";
      hiddenRef.current.form.requestSubmit();
    }
    if (behavior === "navigate") {
      const next = new URLSearchParams(searchParams.toString());
      for (const key of ["after", "before", "page", "tenantId"]) next.delete(key);
      if (tenant) next.set("tenantId", tenant.id);
      const qs = next.toString();
      router.push(qs ? `${pathname}?${qs}` : pathname);
    }
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLInputElement>) {
    const last = options.length - 1;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!open) {
          setOpen(true);
          return;
        }
        if (active >= last && nextCursor) void loadMore();
        setActive((i) => Math.min(i + 1, last));
        return;
      case "ArrowUp":
        event.preventDefault();
        if (!open) {
          setOpen(true);
          return;
        }
        setActive((i) => Math.max(i - 1, 0));
        return;
      case "Home":
        if (open && options.length) {
          event.preventDefault();
          setActive(0);
        }
        return;
      case "End":
        if (open && options.length) {
          event.preventDefault();
          setActive(last);
        }
        return;
      case "Enter":
        // Enter picks; it never sends the form with a half-typed name.
        if (open) {
          event.preventDefault();
          if (active >= 0 && options[active]) pick(options[active]);
        }
        return;
      case "Escape":
        if (open) {
          event.preventDefault();
          close(false);
        } else if (text !== (selected?.name ?? allLabel ?? "")) {
          event.preventDefault();
          close(true);
        }
        return;
      case "Tab":
        if (open) close(true);
        return;
    }
  }

  const activeId = open && active >= 0 && options[active] ? `${id}-option-${active}` : undefined;
  const status = !open
    ? ""
    : loading && !items.length
      ? "Searching tenants…"
      : failed
        ? "Could not load tenants. Try again."
        : !items.length
          ? query
            ? `No tenants match “${query}”.`
            : "No tenants."
          : `${items.length}${nextCursor ? "+" : ""} tenant${items.length === 1 ? "" : "s"} found.`;

  return (
    <div className={cn("grid gap-1.5", className)}>
      <Label htmlFor={id}>{label}</Label>
      <div className="relative">
        <input type="hidden" ref={hiddenRef} name={name} value={selected?.id ?? ""} />
        <input
          ref={inputRef}
          id={id}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listboxId}
          aria-activedescendant={activeId}
          aria-describedby={statusId}
          autoComplete="off"
          spellCheck={false}
          placeholder="Search by name, slug or domain"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setQuery(event.target.value.trim());
            setOpen(true);
          }}
          onFocus={(event) => event.target.select()}
          onClick={() => setOpen(true)}
          onKeyDown={onKeyDown}
          onBlur={(event) => {
            if (!event.currentTarget.parentElement?.contains(event.relatedTarget as Node | null)) close(true);
          }}
          className={cn(
            "flex h-9 w-full rounded-md border border-input bg-background py-1 pl-3 pr-8 text-sm shadow-sm transition-colors placeholder:text-muted-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
            inputClassName,
          )}
        />
        <span className="pointer-events-none absolute inset-y-0 right-2 flex items-center text-muted-foreground">
          {loading ? <Loader2 className="size-4 animate-spin" aria-hidden /> : <ChevronsUpDown className="size-4" aria-hidden />}
        </span>
        <div
          hidden={!open}
          className="absolute z-50 mt-1 w-full min-w-56 rounded-md border bg-popover p-1 text-popover-foreground shadow-md"
          onMouseDown={(event) => event.preventDefault()}
        >
          <ul
            ref={listRef}
            id={listboxId}
            role="listbox"
            aria-label={`${label} results`}
            tabIndex={-1}
            onScroll={(event) => {
              const el = event.currentTarget;
              if (el.scrollTop + el.clientHeight >= el.scrollHeight - 24) void loadMore();
            }}
            className="max-h-72 overflow-auto"
          >
            {options.map((option, index) => {
              const isSelected = option.id === ALL ? !selected : selected?.id === option.id;
              return (
                <li
                  key={option.id || "all"}
                  id={`${id}-option-${index}`}
                  data-index={index}
                  role="option"
                  aria-selected={isSelected}
                  // Keep focus in the input: the pick happens on click, before blur would close the list.
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => pick(option)}
                  onMouseMove={() => setActive(index)}
                  className={cn(
                    "flex cursor-pointer items-center gap-2 rounded-sm px-2 py-1.5 text-sm",
                    index === active && "bg-accent text-accent-foreground",
                  )}
                >
                  <Check className={cn("size-4 shrink-0", isSelected ? "opacity-100" : "opacity-0")} aria-hidden />
                  <span className="min-w-0 flex-1 truncate">{option.name}</span>
                  {option.slug ? <span className="shrink-0 font-mono text-xs text-muted-foreground">{option.slug}</span> : null}
                </li>
              );
            })}
          </ul>
          {open && (loading || failed || !items.length || nextCursor) ? (
            <div className="px-2 py-1.5 text-sm text-muted-foreground">
              {loading ? (
                "Loading…"
              ) : failed ? (
                "Could not load tenants."
              ) : nextCursor ? (
                <button
                  type="button"
                  tabIndex={-1}
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => void loadMore()}
                  className="text-primary hover:underline"
                >
                  Show more tenants
                </button>
              ) : query ? (
                `No tenants match “${query}”.`
              ) : (
                "No tenants."
              )}
            </div>
          ) : null}
        </div>
      </div>
      <p id={statusId} className="sr-only" role="status" aria-live="polite">
        {status}
      </p>
    </div>
  );
}
