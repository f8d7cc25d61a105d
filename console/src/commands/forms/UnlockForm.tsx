import { useState } from "react";
import type { Charger } from "../../api/types";
import { CommandForm } from "../CommandForm";
import { connectorTargets, targetBody } from "../targets";
import { TargetSelect } from "../TargetSelect";
import type { SendCommand } from "../useSendCommand";

/** UnlockConnector: a 1.6 connector, or a 2.0.1 EVSE's connector. */
export function UnlockForm({ charger, command }: { charger: Charger; command: SendCommand }) {
  const targets = connectorTargets(charger, { evses: false, connectors: true });
  const [target, setTarget] = useState("");
  return (
    <CommandForm sending={command.sending} label="Unlock" onSubmit={() => void command.send("unlock", targetBody(targets, target))}>
      <TargetSelect label="Connector" targets={targets} value={target} onChange={setTarget} />
    </CommandForm>
  );
}
