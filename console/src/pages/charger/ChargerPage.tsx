import { Breadcrumbs, Link, Stack, Tab, Tabs } from "@mui/material";
import { Link as RouterLink, Outlet, useLocation, useParams } from "react-router";
import { segment } from "../../api/client";
import type { ChargerDetail } from "../../api/types";
import { PageHeader } from "../../components/PageHeader";
import { PolledContent } from "../../components/PolledContent";
import { ConnectionChip } from "../../components/StatusChip";
import { usePolled } from "../../hooks/usePolled";
import { chargerPath } from "../../paths";
import { ChargerActions } from "./ChargerActions";
import type { ChargerContext } from "./chargerContext";

/** The charger's tabs: each a route under /chargers/{id}. */
const TABS = [
  { path: "", label: "Status" },
  { path: "configuration", label: "Configuration" },
  { path: "sessions", label: "Sessions" },
  { path: "commands", label: "Commands" },
  { path: "notifications", label: "Notifications" },
];

export function ChargerPage() {
  const { chargerId = "" } = useParams();
  const charger = usePolled<ChargerDetail>(`/chargers/${segment(chargerId)}`);
  return (
    <>
      <Breadcrumbs sx={{ mb: 1 }}>
        <Link component={RouterLink} to="/chargers" underline="hover" color="inherit">
          Chargers
        </Link>
        <span>{chargerId}</span>
      </Breadcrumbs>
      <PolledContent polled={charger}>{(data) => <ChargerView charger={data} />}</PolledContent>
    </>
  );
}

function ChargerView({ charger }: { charger: ChargerDetail }) {
  const { pathname } = useLocation();
  const base = chargerPath(charger.id);
  const current = TABS.find((tab) => tab.path !== "" && pathname.startsWith(`${base}/${tab.path}`))?.path ?? "";
  const context: ChargerContext = { charger };
  return (
    <>
      <PageHeader
        title={charger.id}
        subtitle={
          <Stack direction="row" spacing={1} component="span" sx={{ alignItems: "center" }}>
            <ConnectionChip connected={charger.connected} />
            <span>
              {[charger.vendor, charger.model].filter(Boolean).join(" ") || "Unknown model"} · OCPP {charger.ocppVersion ?? "unknown"}
            </span>
          </Stack>
        }
        actions={<ChargerActions charger={charger} />}
      />
      <Tabs value={current} sx={{ mb: 2, borderBottom: 1, borderColor: "divider" }} variant="scrollable">
        {TABS.map((tab) => (
          <Tab key={tab.path} value={tab.path} label={tab.label} component={RouterLink} to={tab.path ? `${base}/${tab.path}` : base} />
        ))}
      </Tabs>
      <Outlet context={context} />
    </>
  );
}
