import {
  Breadcrumbs,
  Button,
  Card,
  CardContent,
  CardHeader,
  Grid,
  Link,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
} from "@mui/material";
import { useMemo, useState } from "react";
import { Link as RouterLink, useParams } from "react-router";
import { segment, withQuery } from "../../api/client";
import type { Page, SessionAllocation, Site, SiteAllocation } from "../../api/types";
import { useApi } from "../../api/useApi";
import { useMe } from "../../auth/MeContext";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { PageHeader } from "../../components/PageHeader";
import { PolledContent } from "../../components/PolledContent";
import { RelativeTime } from "../../components/RelativeTime";
import { StatCard } from "../../components/StatCard";
import { StatusChip } from "../../components/StatusChip";
import { EmptyState } from "../../components/states";
import { connectorName, formatAmps, formatDateTime } from "../../format";
import { usePolled } from "../../hooks/usePolled";
import { chargerPath, sessionPath } from "../../paths";
import { AllocationChart } from "./AllocationChart";
import { allocationSeries } from "./allocationSeries";
import { LimitSourceChip } from "./LimitSourceChip";
import { LiveLimitDialog } from "./LiveLimitDialog";

/** The newest past allocations the chart shows. */
const HISTORY_SIZE = 200;

export function SitePage() {
  const { siteId = "" } = useParams();
  const site = usePolled<Site>(`/sites/${segment(siteId)}`);
  return (
    <>
      <Breadcrumbs sx={{ mb: 1 }}>
        <Link component={RouterLink} to="/sites" underline="hover" color="inherit">
          Sites
        </Link>
        <span>{siteId}</span>
      </Breadcrumbs>
      <PolledContent polled={site}>{(data) => <SiteView site={data} reloadSite={site.reload} />}</PolledContent>
    </>
  );
}

type Editing = "set" | "end" | null;

function SiteView({ site, reloadSite }: { site: Site; reloadSite: () => void }) {
  const { canOperate } = useMe();
  const client = useApi();
  const base = `/sites/${segment(site.siteId)}`;
  const allocation = usePolled<SiteAllocation>(`${base}/allocation`);
  const history = usePolled<Page<SiteAllocation>>(withQuery(`${base}/allocation/history`, { limit: HISTORY_SIZE }));
  const [editing, setEditing] = useState<Editing>(null);
  const points = useMemo(
    () => allocationSeries(history.data?.items ?? [], allocation.data, new Date()),
    [history.data, allocation.data],
  );
  const changed = () => {
    setEditing(null);
    reloadSite();
    allocation.reload();
  };
  const limit = site.limitInForce;
  const live = site.liveLimit !== null && limit.source === "live";
  return (
    <>
      <PageHeader
        title={site.name}
        subtitle={`${site.siteId} · ${site.phases === 3 ? "3 phases" : "1 phase"} · ${site.voltage} V · grid limit ${formatAmps(site.gridLimitAmps)} · minimum ${formatAmps(site.minChargingCurrentAmps)} per session`}
        actions={
          canOperate && (
            <>
              <Button variant="contained" onClick={() => setEditing("set")}>
                Set live limit
              </Button>
              {live && (
                <Button variant="outlined" color="warning" onClick={() => setEditing("end")}>
                  End live limit
                </Button>
              )}
            </>
          )
        }
      />
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, sm: 6, md: 3 }}>
          <StatCard
            label="Limit in force"
            value={formatAmps(limit.amps)}
            detail={
              <Stack direction="row" spacing={1} component="span" sx={{ alignItems: "center" }}>
                <LimitSourceChip source={limit.source} />
                <span>{limit.until === null ? "until the site changes" : `until ${formatDateTime(limit.until)}`}</span>
              </Stack>
            }
          />
        </Grid>
        <AllocationCards allocation={allocation.data} />
        <Grid size={{ xs: 12 }}>
          <Card>
            <CardHeader title="Limit, allocated and measured current" subheader="Amps per phase; measured where the chargers report it" />
            <CardContent>
              <AllocationChart points={points} />
            </CardContent>
          </Card>
        </Grid>
        <Grid size={{ xs: 12 }}>
          <PolledContent polled={allocation}>{(data) => <SessionAllocationTable allocation={data} />}</PolledContent>
        </Grid>
      </Grid>
      {editing === "set" && <LiveLimitDialog site={site} onClose={() => setEditing(null)} onSaved={changed} />}
      {editing === "end" && (
        <ConfirmDialog
          title="End the live limit?"
          confirmLabel="End live limit"
          onConfirm={() => client.send("DELETE", `${base}/limit`)}
          onDone={changed}
          onClose={() => setEditing(null)}
        >
          The configured limit and the schedule apply again at once.
        </ConfirmDialog>
      )}
    </>
  );
}

function AllocationCards({ allocation }: { allocation: SiteAllocation | undefined }) {
  const totals = allocation?.totals;
  return (
    <>
      <Grid size={{ xs: 12, sm: 6, md: 3 }}>
        <StatCard label="Allocated" value={formatAmps(totals?.allocatedAmps)} detail={`${allocation?.sessions.length ?? 0} active sessions`} />
      </Grid>
      <Grid size={{ xs: 12, sm: 6, md: 3 }}>
        <StatCard label="Effective" value={formatAmps(totals?.effectiveAmps)} detail="what the chargers may draw now" />
      </Grid>
      <Grid size={{ xs: 12, sm: 6, md: 3 }}>
        <StatCard
          label="Measured"
          value={formatAmps(totals?.measuredAmps)}
          detail={
            allocation?.computedAt ? (
              <>
                rebalanced <RelativeTime iso={allocation.computedAt} />
              </>
            ) : (
              "not rebalanced yet"
            )
          }
        />
      </Grid>
    </>
  );
}

function SessionAllocationTable({ allocation }: { allocation: SiteAllocation }) {
  if (allocation.sessions.length === 0) {
    return <EmptyState title="No active sessions" hint="Sessions of the site's chargers appear here once the site is rebalanced, seconds after they start." />;
  }
  return (
    <TableContainer component={Paper}>
      <Table size="small" aria-label="Sessions">
        <TableHead>
          <TableRow>
            <TableCell>Charger</TableCell>
            <TableCell>Session</TableCell>
            <TableCell>Connector</TableCell>
            <TableCell align="right">Allocated</TableCell>
            <TableCell align="right">Effective</TableCell>
            <TableCell align="right">Measured</TableCell>
            <TableCell>Profile</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {allocation.sessions.map((session: SessionAllocation) => (
            <TableRow key={`${session.chargerId}#${session.transactionId}`} hover>
              <TableCell>
                <Link component={RouterLink} to={chargerPath(session.chargerId)}>
                  {session.chargerId}
                </Link>
              </TableCell>
              <TableCell>
                <Link component={RouterLink} to={sessionPath(session)}>
                  {session.transactionId}
                </Link>
              </TableCell>
              <TableCell>{connectorName(session)}</TableCell>
              <TableCell align="right">{formatAmps(session.allocatedAmps)}</TableCell>
              <TableCell align="right">{formatAmps(session.effectiveAmps)}</TableCell>
              <TableCell align="right">{formatAmps(session.measuredAmps)}</TableCell>
              <TableCell>
                <StatusChip status={session.profileStatus} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
