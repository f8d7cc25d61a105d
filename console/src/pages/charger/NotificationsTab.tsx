import { MenuItem, Paper, TextField } from "@mui/material";
import { useState } from "react";
import { segment, withQuery } from "../../api/client";
import { NOTIFICATION_KINDS, type Notification, type Page } from "../../api/types";
import { NotificationList } from "../../components/NotificationList";
import { PolledContent } from "../../components/PolledContent";
import { EmptyState } from "../../components/states";
import { usePolled } from "../../hooks/usePolled";
import { useChargerContext } from "./chargerContext";

/** What the charger reported: faults, events, security events, firmware and log status, ... newest first. */
export function NotificationsTab() {
  const { charger } = useChargerContext();
  const [kind, setKind] = useState("");
  const notifications = usePolled<Page<Notification>>(
    withQuery(`/chargers/${segment(charger.id)}/notifications`, { kind, limit: 100 }),
  );
  return (
    <>
      <TextField select label="Kind" value={kind} onChange={(event) => setKind(event.target.value)} sx={{ mb: 2, minWidth: 280 }}>
        <MenuItem value="">Any</MenuItem>
        {NOTIFICATION_KINDS.map((name) => (
          <MenuItem key={name} value={name}>
            {name}
          </MenuItem>
        ))}
      </TextField>
      <PolledContent
        polled={notifications}
        isEmpty={(page) => page.items.length === 0}
        empty={
          <EmptyState
            title={kind ? `No ${kind} yet` : "No notifications yet"}
            hint="Faults, events, security events and firmware or log status the charger reports show up here."
          />
        }
      >
        {(page) => (
          <Paper>
            <NotificationList items={page.items} />
          </Paper>
        )}
      </PolledContent>
    </>
  );
}
