import { withQuery } from "../../api/client";
import type { Command, Page } from "../../api/types";
import { CommandTable } from "../../commands/CommandTable";
import { PageHeader } from "../../components/PageHeader";
import { PolledContent } from "../../components/PolledContent";
import { EmptyState } from "../../components/states";
import { usePolled } from "../../hooks/usePolled";

/** Every charger's commands, newest first, live. */
export function CommandsPage() {
  const commands = usePolled<Page<Command>>(withQuery("/commands", { limit: 100 }));
  return (
    <>
      <PageHeader title="Commands" subtitle="What was sent to chargers, and what came of it, newest first" />
      <PolledContent
        polled={commands}
        isEmpty={(page) => page.items.length === 0}
        empty={<EmptyState title="No commands yet" hint="Send one from a charger's page; the CSMS's own (tariff texts, cost updates) show up here too." />}
      >
        {(page) => <CommandTable commands={page.items} />}
      </PolledContent>
    </>
  );
}
