import CallMadeIcon from "@mui/icons-material/CallMade";
import DashboardIcon from "@mui/icons-material/Dashboard";
import BoltIcon from "@mui/icons-material/Bolt";
import EvStationIcon from "@mui/icons-material/EvStation";
import ReceiptLongIcon from "@mui/icons-material/ReceiptLong";
import SellIcon from "@mui/icons-material/Sell";
import StyleIcon from "@mui/icons-material/Style";
import type { ReactNode } from "react";

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
}

/** The console's pages, in the order of the navigation. */
export const NAVIGATION: NavItem[] = [
  { to: "/", label: "Overview", icon: <DashboardIcon /> },
  { to: "/chargers", label: "Chargers", icon: <EvStationIcon /> },
  { to: "/sessions", label: "Sessions", icon: <BoltIcon /> },
  { to: "/commands", label: "Commands", icon: <CallMadeIcon /> },
  { to: "/id-tokens", label: "Id tokens", icon: <StyleIcon /> },
  { to: "/tariffs", label: "Tariffs", icon: <SellIcon /> },
  { to: "/invoices", label: "Invoices", icon: <ReceiptLongIcon /> },
];
