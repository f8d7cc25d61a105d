import type { RouteObject } from "react-router";
import { ChargerPage } from "./pages/charger/ChargerPage";
import { CommandsTab } from "./pages/charger/CommandsTab";
import { ConfigurationTab } from "./pages/charger/ConfigurationTab";
import { NotificationsTab } from "./pages/charger/NotificationsTab";
import { SessionsTab } from "./pages/charger/SessionsTab";
import { StatusTab } from "./pages/charger/StatusTab";
import { ChargersPage } from "./pages/chargers/ChargersPage";
import { CommandsPage } from "./pages/commands/CommandsPage";
import { IdTokensPage } from "./pages/idTokens/IdTokensPage";
import { InvoicePage } from "./pages/invoices/InvoicePage";
import { InvoicesPage } from "./pages/invoices/InvoicesPage";
import { TariffsPage } from "./pages/tariffs/TariffsPage";
import { UsersPage } from "./pages/users/UsersPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { OverviewPage } from "./pages/overview/OverviewPage";
import { RegisterChargerPage } from "./pages/registerCharger/RegisterChargerPage";
import { SessionsPage } from "./pages/sessions/SessionsPage";
import { SitesPage } from "./pages/sites/SitesPage";

/** The pages inside the signed-in layout (see `NAVIGATION` for the menu). */
export const routes: RouteObject[] = [
  { index: true, element: <OverviewPage /> },
  { path: "chargers", element: <ChargersPage /> },
  {
    path: "chargers/:chargerId",
    element: <ChargerPage />,
    children: [
      { index: true, element: <StatusTab /> },
      { path: "configuration", element: <ConfigurationTab /> },
      { path: "sessions", element: <SessionsTab /> },
      { path: "commands", element: <CommandsTab /> },
      { path: "notifications", element: <NotificationsTab /> },
    ],
  },
  { path: "sessions", element: <SessionsPage /> },
  {
    path: "sessions/:chargerId/:transactionId",
    // With its chart library: loaded when first opened.
    lazy: async () => ({ Component: (await import("./pages/session/SessionPage")).SessionPage }),
  },
  { path: "sites", element: <SitesPage /> },
  {
    path: "sites/:siteId",
    // With its chart library: loaded when first opened.
    lazy: async () => ({ Component: (await import("./pages/site/SitePage")).SitePage }),
  },
  { path: "id-tokens", element: <IdTokensPage /> },
  { path: "tariffs", element: <TariffsPage /> },
  { path: "invoices", element: <InvoicesPage /> },
  { path: "invoices/:invoiceId", element: <InvoicePage /> },
  { path: "register-charger", element: <RegisterChargerPage /> },
  { path: "users", element: <UsersPage /> },
  { path: "commands", element: <CommandsPage /> },
  { path: "*", element: <NotFoundPage /> },
];
