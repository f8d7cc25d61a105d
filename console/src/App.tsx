import { CssBaseline, ThemeProvider } from "@mui/material";
import { useMemo } from "react";
import { createBrowserRouter, Outlet, RouterProvider } from "react-router";
import { AuthProvider } from "./auth/AuthProvider";
import { SessionGate } from "./auth/SessionGate";
import { Layout } from "./components/Layout";
import { Loading } from "./components/states";
import type { ConsoleConfig } from "./config";
import { routes } from "./routes";
import { theme } from "./theme";

export function App({ config }: { config: ConsoleConfig }) {
  const router = useMemo(
    () =>
      createBrowserRouter([
        {
          element: (
            <AuthProvider config={config}>
              <SessionGate>
                <Outlet />
              </SessionGate>
            </AuthProvider>
          ),
          children: [{ element: <Layout />, children: routes }],
          // Shown while a lazily loaded page (the session's, with its chart) is fetched on first load.
          hydrateFallbackElement: <Loading />,
        },
      ]),
    [config],
  );
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <RouterProvider router={router} />
    </ThemeProvider>
  );
}
