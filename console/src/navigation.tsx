import AddLinkIcon from "@mui/icons-material/AddLink";
import CallMadeIcon from "@mui/icons-material/CallMade";
import DashboardIcon from "@mui/icons-material/Dashboard";
import BoltIcon from "@mui/icons-material/Bolt";
import ElectricalServicesIcon from "@mui/icons-material/ElectricalServices";
import EvStationIcon from "@mui/icons-material/EvStation";
import PeopleIcon from "@mui/icons-material/People";
import ReceiptLongIcon from "@mui/icons-material/ReceiptLong";
import SellIcon from "@mui/icons-material/Sell";
import StyleIcon from "@mui/icons-material/Style";
import type { ReactNode } from "react";

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
  /** Shown to admins only (the page changes what only they may change). */
  adminsOnly?: boolean;
}

/** The console's pages, in the order of the navigation. */
export const NAVIGATION: NavItem[] = [
  { to: "/", label: "Overview", icon: <DashboardIcon /> },
  { to: "/chargers", label: "Chargers", icon: <EvStationIcon /> },
  { to: "/sessions", label: "Sessions", icon: <BoltIcon /> },
  { to: "/sites", label: "Sites", icon: <ElectricalServicesIcon /> },
  { to: "/commands", label: "Commands", icon: <CallMadeIcon /> },
  { to: "/id-tokens", label: "Id tokens", icon: <StyleIcon /> },
  { to: "/tariffs", label: "Tariffs", icon: <SellIcon /> },
  { to: "/invoices", label: "Invoices", icon: <ReceiptLongIcon /> },
  { to: "/register-charger", label: "Register charger", icon: <AddLinkIcon />, adminsOnly: true },
  { to: "/users", label: "Users", icon: <PeopleIcon />, adminsOnly: true },
];
