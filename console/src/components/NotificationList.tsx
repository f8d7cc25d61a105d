import { Link, List, ListItem, ListItemText, Stack, Typography } from "@mui/material";
import { Link as RouterLink } from "react-router";
import type { Notification } from "../api/types";
import { formatDateTime } from "../format";
import { chargerPath } from "../paths";
import { SeverityChip } from "./SeverityChip";

/** Notifications newest first; `showCharger` links each to its charger (fleet-wide lists). */
export function NotificationList({ items, showCharger = false }: { items: Notification[]; showCharger?: boolean }) {
  return (
    <List dense disablePadding>
      {items.map((item) => (
        <ListItem key={`${item.chargerId}/${item.messageId}/${item.kind}`} divider alignItems="flex-start">
          <ListItemText
            primary={
              <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: "center", flexWrap: "wrap" }}>
                <SeverityChip severity={item.severity} />
                <Typography component="span">{item.summary}</Typography>
              </Stack>
            }
            secondary={
              <>
                {formatDateTime(item.timestamp)} · {item.kind}
                {showCharger && (
                  <>
                    {" · "}
                    <Link component={RouterLink} to={chargerPath(item.chargerId)}>
                      {item.chargerId}
                    </Link>
                  </>
                )}
              </>
            }
          />
        </ListItem>
      ))}
    </List>
  );
}
