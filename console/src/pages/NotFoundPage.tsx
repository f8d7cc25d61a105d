import { Button } from "@mui/material";
import { Link as RouterLink } from "react-router";
import { EmptyState } from "../components/states";

export function NotFoundPage() {
  return (
    <EmptyState
      title="No such page"
      hint="The address does not match any page of the console."
      action={
        <Button component={RouterLink} to="/">
          To the overview
        </Button>
      }
    />
  );
}
