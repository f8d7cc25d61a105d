import { segment, withQuery } from "../../api/client";
import type { Command, Page } from "../../api/types";
import { CommandTable } from "../../commands/CommandTable";
import { PolledContent } from "../../components/PolledContent";
import { EmptyState } from "../../components/states";
import { usePolled } from "../../hooks/usePolled";
import { useChargerContext } from "./chargerContext";

/** The commands sent to the charger, newest first, with their outcomes. */
export function CommandsTab() {
  const { charger } = useChargerContext();
  const commands = usePolled<Page<Command>>(withQuery(`/chargers/${segment(charger.id)}/commands`, { limit: 100 }));
  return (
    <PolledContent
      polled={commands}
      isEmpty={(page) => page.items.length === 0}
      empty={<EmptyState title="No commands yet" hint="Commands sent to this charger, and what came of them, show up here." />}
    >
      {(page) => <CommandTable commands={page.items} hideCharger />}
    </PolledContent>
  );
}
