import { IconButton, Tooltip } from "@mui/material";
import type { ReactNode } from "react";

interface Props {
  /** What it does, as its tooltip says ("Edit"). */
  title: string;
  /** Its accessible name, naming the row too ("Edit CARD-1"). */
  name: string;
  icon: ReactNode;
  onClick: () => void;
  /** Why it cannot be used here, shown instead of `title`; absent: it can. */
  disabledBecause?: string;
}

/** An icon button acting on one row of a table. */
export function RowAction({ title, name, icon, onClick, disabledBecause }: Props) {
  return (
    <Tooltip title={disabledBecause ?? title}>
      {/* A disabled button fires no events: the span keeps the tooltip working. */}
      <span>
        <IconButton size="small" aria-label={name} disabled={disabledBecause !== undefined} onClick={onClick}>
          {icon}
        </IconButton>
      </span>
    </Tooltip>
  );
}
