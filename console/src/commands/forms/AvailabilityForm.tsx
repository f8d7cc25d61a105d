import { FormControlLabel, FormLabel, Radio, RadioGroup } from "@mui/material";
import { useState } from "react";
import type { Charger } from "../../api/types";
import { CommandForm } from "../CommandForm";
import { connectorTargets, targetBody } from "../targets";
import { TargetSelect } from "../TargetSelect";
import type { SendCommand } from "../useSendCommand";

/** ChangeAvailability of the whole charger, a connector (1.6), an EVSE or one of its connectors (2.0.1). */
export function AvailabilityForm({ charger, command }: { charger: Charger; command: SendCommand }) {
  const targets = connectorTargets(charger, { evses: true, connectors: true });
  const [target, setTarget] = useState("");
  const [status, setStatus] = useState<"operative" | "inoperative">("inoperative");
  return (
    <CommandForm
      sending={command.sending}
      label="Change availability"
      onSubmit={() => void command.send("availability", { status, ...targetBody(targets, target) })}
    >
      <TargetSelect label="Of" targets={targets} value={target} onChange={setTarget} noneLabel="The whole charger" />
      <FormLabel id="availability-status">Make it</FormLabel>
      <RadioGroup
        row
        aria-labelledby="availability-status"
        value={status}
        onChange={(event) => setStatus(event.target.value as "operative" | "inoperative")}
      >
        <FormControlLabel value="operative" control={<Radio />} label="Operative" />
        <FormControlLabel value="inoperative" control={<Radio />} label="Inoperative" />
      </RadioGroup>
    </CommandForm>
  );
}
