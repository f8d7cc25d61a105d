import { useState } from "react";
import { segment } from "../api/client";
import type { CommandAccepted } from "../api/types";
import { useApi } from "../api/useApi";

export interface SendCommand {
  /** POST `/chargers/{id}/{endpoint}` (`start`, `reset`, `commands`, ...); the command id once accepted. */
  send: (endpoint: string, body: unknown) => Promise<void>;
  commandId: string | null;
  sending: boolean;
  error: unknown;
  /** Forget the last command (to send another). */
  reset: () => void;
}

export function useSendCommand(chargerId: string): SendCommand {
  const client = useApi();
  const [commandId, setCommandId] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  return {
    commandId,
    sending,
    error,
    send: async (endpoint, body) => {
      setSending(true);
      setError(undefined);
      try {
        const accepted = await client.send<CommandAccepted>("POST", `/chargers/${segment(chargerId)}/${endpoint}`, body);
        setCommandId(accepted.commandId);
      } catch (failure) {
        setError(failure);
      } finally {
        setSending(false);
      }
    },
    reset: () => {
      setCommandId(null);
      setError(undefined);
    },
  };
}
