import { MenuItem, Stack, TextField } from "@mui/material";
import { useSearchParams } from "react-router";
import { withQuery } from "../../api/client";
import type { Page, Transaction } from "../../api/types";
import { PageHeader } from "../../components/PageHeader";
import { PolledContent } from "../../components/PolledContent";
import { SessionTable } from "../../components/SessionTable";
import { EmptyState } from "../../components/states";
import { usePolled } from "../../hooks/usePolled";

/** Active and past sessions, newest first, by status and charger (filters kept in the URL). */
export function SessionsPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get("status") ?? "";
  const chargerId = params.get("chargerId") ?? "";
  const sessions = usePolled<Page<Transaction>>(withQuery("/transactions", { status, chargerId: chargerId.trim(), limit: 200 }));
  const update = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  return (
    <>
      <PageHeader title="Sessions" subtitle="Charging sessions, newest first, live" />
      <Stack direction={{ xs: "column", sm: "row" }} spacing={2} sx={{ mb: 2 }}>
        <TextField select label="Status" value={status} onChange={(event) => update("status", event.target.value)} sx={{ minWidth: 160 }}>
          <MenuItem value="">Any</MenuItem>
          <MenuItem value="Active">Active</MenuItem>
          <MenuItem value="Completed">Completed</MenuItem>
        </TextField>
        <TextField label="Charger id" value={chargerId} onChange={(event) => update("chargerId", event.target.value)} />
      </Stack>
      <PolledContent
        polled={sessions}
        isEmpty={(page) => page.items.length === 0}
        empty={
          <EmptyState
            title={status || chargerId ? "No session matches" : "No sessions yet"}
            hint={status || chargerId ? "Change or clear the filters." : "Sessions appear when chargers start transactions."}
          />
        }
      >
        {(page) => <SessionTable sessions={page.items} />}
      </PolledContent>
    </>
  );
}
