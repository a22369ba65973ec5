"use client";

import * as React from "react";
import { AlertTriangle, Send, Trash2, RotateCw } from "lucide-react";
import { toast } from "sonner";
import { deleteWebhookAction, retryDeliveryAction, sendTestEventAction, setWebhookEnabledAction } from "../actions";
import type { ActionState } from "@/lib/actions/action";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

export type EndpointView = {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  failedAttempts: number;
  nextAttemptAt: string | null;
  lastSuccessAt: string | null;
};

export type DeliveryView = {
  id: number;
  eventId: number | null;
  eventType: string;
  attempt: number;
  trigger: string;
  status: "succeeded" | "failed" | "given_up";
  responseStatus: number | null;
  error: string | null;
  durationMs: number | null;
  createdAt: string;
};

function useRun() {
  const [busy, setBusy] = React.useState<string | null>(null);
  const run = async (key: string, work: () => Promise<ActionState<unknown>>) => {
    setBusy(key);
    try {
      const result = await work();
      if (result.ok) toast.success(result.message ?? "Done");
      else toast.error(result.error ?? "That did not work");
      return result.ok;
    } finally {
      setBusy(null);
    }
  };
  return { busy, run };
}

const statusBadge = (status: DeliveryView["status"]) =>
  status === "succeeded" ? <Badge variant="success">Delivered</Badge> : status === "failed" ? <Badge variant="warning">Failed</Badge> : <Badge variant="destructive">Given up</Badge>;

export function WebhookCard({ tenantId, endpoint, deliveries, writable }: { tenantId: string; endpoint: EndpointView; deliveries: DeliveryView[]; writable: boolean }) {
  const { busy, run } = useRun();
  const ref = { tenantId, endpointId: endpoint.id };
  return (
    <Card>
      <CardHeader className="gap-2">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <CardTitle className="break-all font-mono text-base">{endpoint.url}</CardTitle>
          {endpoint.enabled ? (endpoint.failedAttempts > 0 ? <Badge variant="warning">Retrying</Badge> : <Badge variant="success">Active</Badge>) : <Badge variant="destructive">Disabled</Badge>}
        </div>
        <CardDescription>
          {endpoint.description ? `${endpoint.description} · ` : ""}
          {endpoint.eventTypes.length ? endpoint.eventTypes.join(", ") : "Every event type"}
          {" · "}Last delivered <Time value={endpoint.lastSuccessAt} fallback="never" />
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {!endpoint.enabled ? (
          <Alert variant="destructive">
            <AlertTriangle aria-hidden />
            <div>
              <p className="font-medium">Deliveries to this webhook are paused.</p>
              <p>{endpoint.disabledReason ?? "Disabled."} Events keep queueing; enabling it resumes with the next one, in order.</p>
            </div>
          </Alert>
        ) : endpoint.failedAttempts > 0 ? (
          <Alert variant="warning">
            <AlertTriangle aria-hidden />
            <p>
              The receiver failed {endpoint.failedAttempts} time{endpoint.failedAttempts === 1 ? "" : "s"}; next attempt <Time value={endpoint.nextAttemptAt} />. Later events wait for this one.
            </p>
          </Alert>
        ) : null}
        {writable ? (
          <div className="flex flex-wrap gap-2">
            <Button variant="outline" size="sm" disabled={busy !== null} onClick={() => run("test", () => sendTestEventAction(null, ref))}>
              <Send aria-hidden />
              {busy === "test" ? "Sending…" : "Send test event"}
            </Button>
            <Button variant="outline" size="sm" disabled={busy !== null} onClick={() => run("toggle", () => setWebhookEnabledAction(null, { ...ref, enabled: endpoint.enabled ? "false" : "true" }))}>
              {endpoint.enabled ? "Disable" : "Enable"}
            </Button>
            <ConfirmDialog
              trigger={
                <Button variant="outline" size="sm" className="text-destructive">
                  <Trash2 aria-hidden />
                  Delete
                </Button>
              }
              title="Delete this webhook?"
              description={<p>Gatehouse stops sending events to {endpoint.url} and forgets its delivery log. This cannot be undone.</p>}
              confirmLabel="Delete webhook"
              destructive
              onConfirm={() => run("delete", () => deleteWebhookAction(null, ref))}
            />
          </div>
        ) : null}
        {deliveries.length === 0 ? (
          <p className="text-sm text-muted-foreground">No deliveries yet. Events written from now on appear here; try “Send test event”.</p>
        ) : (
          <Table label={`Deliveries to ${endpoint.url}`}>
            <TableHeader>
              <TableRow>
                <TableHead>When</TableHead>
                <TableHead>Event</TableHead>
                <TableHead>Attempt</TableHead>
                <TableHead>Result</TableHead>
                <TableHead>Response</TableHead>
                {writable ? <TableHead className="sr-only">Actions</TableHead> : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {deliveries.map((d) => (
                <TableRow key={d.id}>
                  <TableCell>
                    <Time value={d.createdAt} />
                  </TableCell>
                  <TableCell className="font-mono text-xs">
                    {d.eventType}
                    {d.eventId ? ` #${d.eventId}` : ""}
                    {d.trigger !== "dispatch" ? <span className="ml-1 text-muted-foreground">({d.trigger})</span> : null}
                  </TableCell>
                  <TableCell>{d.attempt}</TableCell>
                  <TableCell>{statusBadge(d.status)}</TableCell>
                  <TableCell className="text-sm">
                    {d.responseStatus ? <span className="font-mono">HTTP {d.responseStatus}</span> : <span className="text-muted-foreground">{d.error ?? "—"}</span>}
                    {d.durationMs !== null ? <span className="ml-2 text-xs text-muted-foreground">{d.durationMs} ms</span> : null}
                  </TableCell>
                  {writable ? (
                    <TableCell className="text-right">
                      {d.status !== "succeeded" && d.eventId !== null ? (
                        <Button variant="ghost" size="sm" disabled={busy !== null} onClick={() => run(`retry-${d.id}`, () => retryDeliveryAction(null, { tenantId, deliveryId: d.id }))}>
                          <RotateCw aria-hidden />
                          {busy === `retry-${d.id}` ? "Retrying…" : "Retry"}
                        </Button>
                      ) : null}
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
