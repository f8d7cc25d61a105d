import { Stack, Tooltip } from "@mui/material";
import type { Connector } from "../api/types";
import { connectorName, formatDateTime } from "../format";
import { StatusChip } from "./StatusChip";

export function ConnectorChips({ connectors }: { connectors: Connector[] }) {
  if (connectors.length === 0) return <>—</>;
  return (
    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: "wrap" }}>
      {connectors.map((connector) => (
        <Tooltip
          key={connectorName(connector)}
          title={`${connector.status}${connector.errorCode && connector.errorCode !== "NoError" ? ` (${connector.errorCode})` : ""} since ${formatDateTime(connector.timestamp)}`}
        >
          <span>
            <StatusChip status={connector.status} label={`${connectorName(connector)}: ${connector.status}`} />
          </span>
        </Tooltip>
      ))}
    </Stack>
  );
}
