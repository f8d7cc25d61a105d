import { Breadcrumbs, Button, Card, CardContent, CardHeader, Grid, Link, Stack } from "@mui/material";
import { useState } from "react";
import { Link as RouterLink, useParams } from "react-router";
import { segment, withQuery } from "../../api/client";
import type { TransactionDetail } from "../../api/types";
import { useMe } from "../../auth/MeContext";
import { CommandDialog } from "../../commands/CommandDialog";
import { StopForm } from "../../commands/forms/StopForm";
import { PageHeader } from "../../components/PageHeader";
import { PolledContent } from "../../components/PolledContent";
import { StatusChip } from "../../components/StatusChip";
import { connectorName, formatDateTime, formatDuration, formatEnergy, formatMoney, toNumber } from "../../format";
import { usePolled } from "../../hooks/usePolled";
import { chargerPath } from "../../paths";
import { StatCard } from "../../components/StatCard";
import { InvoiceCard } from "./InvoiceCard";
import { MeterChart } from "./MeterChart";
import { meterSeries } from "./meterSeries";

export function SessionPage() {
  const { chargerId = "", transactionId = "" } = useParams();
  const session = usePolled<TransactionDetail>(withQuery(`/transactions/${segment(transactionId)}`, { chargerId }));
  return (
    <>
      <Breadcrumbs sx={{ mb: 1 }}>
        <Link component={RouterLink} to="/sessions" underline="hover" color="inherit">
          Sessions
        </Link>
        <span>{transactionId}</span>
      </Breadcrumbs>
      <PolledContent polled={session}>{(data) => <SessionView session={data} />}</PolledContent>
    </>
  );
}

function SessionView({ session }: { session: TransactionDetail }) {
  const { canOperate } = useMe();
  const [stopping, setStopping] = useState(false);
  const points = meterSeries(session.meterValues, toNumber(session.meterStart), session.startedAt);
  const last = points.at(-1);
  const energyWh = session.energyWh ?? (last?.energyKwh == null ? null : last.energyKwh * 1000);
  return (
    <>
      <PageHeader
        title={`Session ${session.transactionId}`}
        subtitle={
          <Stack direction="row" spacing={1} component="span" sx={{ alignItems: "center" }}>
            <StatusChip status={session.status} />
            <span>
              <Link component={RouterLink} to={chargerPath(session.chargerId)}>
                {session.chargerId}
              </Link>{" "}
              · connector {connectorName(session)} · id token {session.idToken ?? "none"}
            </span>
          </Stack>
        }
        actions={
          canOperate && session.status === "Active" ? (
            <Button variant="contained" color="warning" onClick={() => setStopping(true)}>
              Stop
            </Button>
          ) : undefined
        }
      />
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, sm: 6, md: 3 }}>
          <StatCard label={session.status === "Active" ? "Energy so far" : "Energy"} value={formatEnergy(energyWh)} />
        </Grid>
        <Grid size={{ xs: 12, sm: 6, md: 3 }}>
          <StatCard label="Power" value={last?.powerKw == null ? "—" : `${last.powerKw.toLocaleString()} kW`} detail="last reported" />
        </Grid>
        <Grid size={{ xs: 12, sm: 6, md: 3 }}>
          <StatCard
            label="Duration"
            value={formatDuration(session.startedAt, session.stoppedAt)}
            detail={
              session.stoppedAt === null
                ? `since ${formatDateTime(session.startedAt)}`
                : `${formatDateTime(session.startedAt)} to ${formatDateTime(session.stoppedAt)}${session.stopReason ? ` (${session.stopReason})` : ""}`
            }
          />
        </Grid>
        <Grid size={{ xs: 12, sm: 6, md: 3 }}>
          <CostCard session={session} />
        </Grid>
        <Grid size={{ xs: 12, lg: 8 }}>
          <Card>
            <CardHeader title="Energy and power" />
            <CardContent>
              <MeterChart points={points} />
            </CardContent>
          </Card>
        </Grid>
        <Grid size={{ xs: 12, lg: 4 }}>
          <InvoiceCard session={session} />
        </Grid>
      </Grid>
      {stopping && (
        <CommandDialog title="Stop" chargerId={session.chargerId} onClose={() => setStopping(false)}>
          {(command) => (
            <StopForm charger={{ id: session.chargerId }} command={command} transactionId={session.transactionId} />
          )}
        </CommandDialog>
      )}
    </>
  );
}

/** What the session costs so far by its tariff (the API prices it); the invoice, once issued, is what is billed. */
function CostCard({ session }: { session: TransactionDetail }) {
  const { cost } = session;
  const active = session.status === "Active";
  if (!cost) return <StatCard label={active ? "Cost so far" : "Cost"} value="—" detail="no tariff applies" />;
  return (
    <StatCard
      label={active ? "Cost so far" : "Cost"}
      value={formatMoney(cost.total, cost.currency)}
      detail={active ? `tax included, at ${formatDateTime(cost.until)}` : "tax included, by its tariff"}
    />
  );
}
