import { Tooltip } from "@mui/material";
import { useEffect, useState } from "react";
import { formatDateTime, formatRelative } from "../format";

/** "3 minutes ago", kept current while shown (a polled answer that did not change renders nothing new). */
export function RelativeTime({ iso }: { iso: string | null }) {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  if (iso === null) return <>never</>;
  return (
    <Tooltip title={formatDateTime(iso)}>
      <time dateTime={iso}>{formatRelative(iso, now)}</time>
    </Tooltip>
  );
}
