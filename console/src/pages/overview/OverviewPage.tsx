import { Card, CardContent, CardHeader, Grid } from "@mui/material";
import type { Notification, Overview } from "../../api/types";
import { NotificationList } from "../../components/NotificationList";
import { PageHeader } from "../../components/PageHeader";
import { PolledContent } from "../../components/PolledContent";
import { EmptyState } from "../../components/states";
import { formatEnergy, formatMoney } from "../../format";
import { usePolled } from "../../hooks/usePolled";
import { StatCard } from "../../components/StatCard";

export function OverviewPage() {
  const overview = usePolled<Overview>("/overview");
  return (
    <>
      <PageHeader title="Overview" subtitle="The network now, today and this month" />
      <PolledContent polled={overview}>{(data) => <OverviewContent overview={data} />}</PolledContent>
    </>
  );
}

function OverviewContent({ overview }: { overview: Overview }) {
  const { chargers, energyWh, revenue } = overview;
  const period = overview.timeZone ? ` (${overview.timeZone})` : " (UTC)";
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 6, md: 3 }}>
        <StatCard label="Connected" value={chargers.connected} detail={`of ${chargers.total} chargers`} to="/chargers?connected=true" />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <StatCard label="Offline" value={chargers.offline} to="/chargers?connected=false" />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <StatCard label="Faulted" value={chargers.faulted} to="/chargers?status=Faulted" />
      </Grid>
      <Grid size={{ xs: 6, md: 3 }}>
        <StatCard label="Active sessions" value={overview.activeSessions} />
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <StatCard label={`Energy billed today${period}`} value={formatEnergy(energyWh.today)} detail={`${formatEnergy(energyWh.month)} this month`} />
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <StatCard
          label={`Revenue today${period}`}
          value={revenue.length === 0 ? "—" : revenue.map((r) => formatMoney(r.today, r.currency)).join(" · ")}
          detail={
            revenue.length === 0
              ? "No invoices yet"
              : `${revenue.map((r) => formatMoney(r.month, r.currency)).join(" · ")} this month`
          }
        />
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <LatestCard
          title="Latest faults"
          items={overview.latestFaults}
          empty="No faults"
          hint="Connector errors that chargers report show up here."
        />
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <LatestCard
          title="Latest security events"
          items={overview.latestSecurityEvents}
          empty="No security events"
          hint="Security event notifications from chargers show up here."
        />
      </Grid>
    </Grid>
  );
}

/** The newest notifications of one kind across the fleet, or what would appear there. */
function LatestCard({ title, items, empty, hint }: { title: string; items: Notification[]; empty: string; hint: string }) {
  return (
    <Card>
      <CardHeader title={title} />
      <CardContent>
        {items.length === 0 ? <EmptyState title={empty} hint={hint} /> : <NotificationList items={items} showCharger />}
      </CardContent>
    </Card>
  );
}
