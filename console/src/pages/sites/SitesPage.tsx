import { Link, Paper, Stack, Table, TableBody, TableCell, TableContainer, TableHead, TableRow } from "@mui/material";
import { Link as RouterLink } from "react-router";
import { segment, withQuery } from "../../api/client";
import type { Page, Site, SiteAllocation } from "../../api/types";
import { FirstPageNotice } from "../../components/FirstPageNotice";
import { PageHeader } from "../../components/PageHeader";
import { PolledContent } from "../../components/PolledContent";
import { EmptyState } from "../../components/states";
import { formatAmps } from "../../format";
import { usePolled } from "../../hooks/usePolled";
import { sitePath } from "../../paths";
import { LimitSourceChip } from "../site/LimitSourceChip";

const PAGE_SIZE = 500;

/** Grid connections that chargers share, with the limit in force and how much of it is allocated. */
export function SitesPage() {
  const sites = usePolled<Page<Site>>(withQuery("/sites", { limit: PAGE_SIZE }));
  return (
    <>
      <PageHeader title="Sites" subtitle="Grid connections that chargers share: the limit in force and how it is shared, live" />
      <PolledContent
        polled={sites}
        isEmpty={(page) => page.items.length === 0}
        empty={
          <EmptyState
            title="No sites yet"
            hint="An admin creates a site with PUT /api/sites/{siteId} and wires chargers to it with PUT /api/chargers/{id} (siteId)."
          />
        }
      >
        {(page) => (
          <>
            <FirstPageNotice nextToken={page.nextToken} count={PAGE_SIZE} what="sites" />
            <SiteTable sites={page.items} />
          </>
        )}
      </PolledContent>
    </>
  );
}

function SiteTable({ sites }: { sites: Site[] }) {
  const sorted = [...sites].sort((a, b) => a.name.localeCompare(b.name) || a.siteId.localeCompare(b.siteId));
  return (
    <TableContainer component={Paper}>
      <Table size="small" aria-label="Sites">
        <TableHead>
          <TableRow>
            <TableCell>Site</TableCell>
            <TableCell>Limit in force</TableCell>
            <TableCell align="right">Grid limit</TableCell>
            <TableCell align="right">Active sessions</TableCell>
            <TableCell align="right">Allocated</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {sorted.map((site) => (
            <TableRow key={site.siteId} hover>
              <TableCell>
                <Link component={RouterLink} to={sitePath(site.siteId)}>
                  {site.name}
                </Link>{" "}
                <span style={{ opacity: 0.7 }}>({site.siteId})</span>
              </TableCell>
              <TableCell>
                <Stack direction="row" spacing={1} sx={{ alignItems: "center" }}>
                  <span>{formatAmps(site.limitInForce.amps)}</span>
                  <LimitSourceChip source={site.limitInForce.source} />
                </Stack>
              </TableCell>
              <TableCell align="right">{formatAmps(site.gridLimitAmps)}</TableCell>
              <AllocationCells siteId={site.siteId} />
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/** A site's sessions and allocated total, each row asking for its own allocation (one conditional GET per site). */
function AllocationCells({ siteId }: { siteId: string }) {
  const { data } = usePolled<SiteAllocation>(`/sites/${segment(siteId)}/allocation`);
  return (
    <>
      <TableCell align="right">{data?.sessions.length ?? "…"}</TableCell>
      <TableCell align="right">{data === undefined ? "…" : formatAmps(data.totals.allocatedAmps)}</TableCell>
    </>
  );
}
