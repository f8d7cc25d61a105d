import { Card, CardActionArea, CardContent, Typography } from "@mui/material";
import type { ReactNode } from "react";
import { Link as RouterLink } from "react-router";

/** One figure of the overview, optionally a link to the list behind it. */
export function StatCard({ label, value, detail, to }: { label: string; value: ReactNode; detail?: ReactNode; to?: string }) {
  const content = (
    <CardContent>
      <Typography color="text.secondary" gutterBottom>
        {label}
      </Typography>
      <Typography variant="h4" component="p">
        {value}
      </Typography>
      {detail !== undefined && <Typography color="text.secondary">{detail}</Typography>}
    </CardContent>
  );
  return (
    <Card sx={{ height: "100%" }}>
      {to === undefined ? content : <CardActionArea component={RouterLink} to={to} sx={{ height: "100%" }}>{content}</CardActionArea>}
    </Card>
  );
}
