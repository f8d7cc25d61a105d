import { useState } from "react";
import { withQuery } from "../../api/client";
import type { Page, Transaction } from "../../api/types";
import { useMe } from "../../auth/MeContext";
import { CommandDialog } from "../../commands/CommandDialog";
import { StopForm } from "../../commands/forms/StopForm";
import { PolledContent } from "../../components/PolledContent";
import { SessionTable } from "../../components/SessionTable";
import { EmptyState } from "../../components/states";
import { usePolled } from "../../hooks/usePolled";
import { useChargerContext } from "./chargerContext";

/** The charger's sessions, newest first; an active one can be stopped from here. */
export function SessionsTab() {
  const { charger } = useChargerContext();
  const { canOperate } = useMe();
  const sessions = usePolled<Page<Transaction>>(withQuery("/transactions", { chargerId: charger.id }));
  const [stopping, setStopping] = useState<string | null>(null);
  return (
    <>
      <PolledContent
        polled={sessions}
        isEmpty={(page) => page.items.length === 0}
        empty={<EmptyState title="No sessions yet" hint="Sessions appear when the charger starts a transaction." />}
      >
        {(page) => (
          <SessionTable
            sessions={page.items}
            hideCharger
            onStop={canOperate ? (session) => setStopping(session.transactionId) : undefined}
          />
        )}
      </PolledContent>
      {stopping !== null && (
        <CommandDialog title="Stop" chargerId={charger.id} onClose={() => setStopping(null)}>
          {(command) => <StopForm charger={charger} command={command} transactionId={stopping} />}
        </CommandDialog>
      )}
    </>
  );
}
