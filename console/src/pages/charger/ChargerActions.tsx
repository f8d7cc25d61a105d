import { Button } from "@mui/material";
import { lazy, type ReactNode, Suspense, useState } from "react";
import type { Charger } from "../../api/types";
import { useMe } from "../../auth/MeContext";
import { CommandDialog } from "../../commands/CommandDialog";
import { AvailabilityForm } from "../../commands/forms/AvailabilityForm";
import { ResetForm } from "../../commands/forms/ResetForm";
import { StartForm } from "../../commands/forms/StartForm";
import { StopForm } from "../../commands/forms/StopForm";
import { UnlockForm } from "../../commands/forms/UnlockForm";
import type { SendCommand } from "../../commands/useSendCommand";
import { Loading } from "../../components/states";

// The generated form brings a JSON schema validator: loaded only when someone opens it.
const RawCommandForm = lazy(() => import("../../commands/forms/RawCommandForm"));

type Form = (charger: Charger, command: SendCommand) => ReactNode;

const ACTIONS: { key: string; label: string; form: Form }[] = [
  { key: "start", label: "Start", form: (charger, command) => <StartForm charger={charger} command={command} /> },
  { key: "stop", label: "Stop", form: (charger, command) => <StopForm charger={charger} command={command} /> },
  { key: "reset", label: "Reset", form: (_, command) => <ResetForm command={command} /> },
  { key: "unlock", label: "Unlock", form: (charger, command) => <UnlockForm charger={charger} command={command} /> },
  {
    key: "availability",
    label: "Availability",
    form: (charger, command) => <AvailabilityForm charger={charger} command={command} />,
  },
  {
    key: "command",
    label: "Other command…",
    form: (charger, command) => (
      <Suspense fallback={<Loading />}>
        <RawCommandForm charger={charger} command={command} />
      </Suspense>
    ),
  },
];

/** The charger's commands, for operators and admins (a viewer sees none: the API would refuse them). */
export function ChargerActions({ charger }: { charger: Charger }) {
  const { canOperate } = useMe();
  const [open, setOpen] = useState<string | null>(null);
  if (!canOperate) return null;
  const action = ACTIONS.find((candidate) => candidate.key === open);
  const neverConnected = charger.ocppVersion === null;
  return (
    <>
      {ACTIONS.map(({ key, label }) => (
        <Button
          key={key}
          variant={key === "start" ? "contained" : "outlined"}
          onClick={() => setOpen(key)}
          disabled={neverConnected}
          title={neverConnected ? "The charger has never connected: its OCPP version is unknown" : undefined}
        >
          {label}
        </Button>
      ))}
      {action !== undefined && (
        <CommandDialog title={action.label.replace("…", "")} chargerId={charger.id} onClose={() => setOpen(null)}>
          {(command) => action.form(charger, command)}
        </CommandDialog>
      )}
    </>
  );
}
