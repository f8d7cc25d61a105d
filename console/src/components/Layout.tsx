import EvStationIcon from "@mui/icons-material/EvStation";
import LogoutIcon from "@mui/icons-material/Logout";
import MenuIcon from "@mui/icons-material/Menu";
import MenuBookIcon from "@mui/icons-material/MenuBook";
import {
  AppBar,
  Box,
  Chip,
  Drawer,
  IconButton,
  List,
  ListItemButton,
  ListItemIcon,
  ListItemText,
  type Theme,
  Toolbar,
  Tooltip,
  Typography,
  useMediaQuery,
} from "@mui/material";
import { useState } from "react";
import { NavLink, Outlet } from "react-router";
import { useAuth } from "../auth/AuthContext";
import { useMe } from "../auth/MeContext";
import { apiBase } from "../config";
import { NAVIGATION } from "../navigation";

const DRAWER_WIDTH = 220;

export function Layout() {
  const { config, session, signOut } = useAuth();
  const me = useMe();
  // On a narrow screen the navigation is a drawer that the menu button opens.
  const wide = useMediaQuery((theme: Theme) => theme.breakpoints.up("md"));
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <Box sx={{ display: "flex" }}>
      <AppBar position="fixed" sx={{ zIndex: (theme) => theme.zIndex.drawer + 1 }}>
        <Toolbar>
          {!wide && (
            <IconButton color="inherit" edge="start" aria-label="Menu" onClick={() => setMenuOpen(true)} sx={{ mr: 1 }}>
              <MenuIcon />
            </IconButton>
          )}
          <EvStationIcon sx={{ mr: 1 }} />
          <Typography variant="h6" component="div" sx={{ flexGrow: 1 }}>
            CSMS
          </Typography>
          <Tooltip title="API documentation (Swagger UI, signed in as you)">
            <IconButton
              color="inherit"
              // The fragment never reaches a server; Swagger UI takes the token from it (README "OpenAPI").
              href={`${apiBase(config)}/docs#token=${encodeURIComponent(session?.accessToken ?? "")}`}
              target="_blank"
              rel="noreferrer"
              aria-label="API docs"
            >
              <MenuBookIcon />
            </IconButton>
          </Tooltip>
          <Typography sx={{ mx: 1, display: { xs: "none", sm: "block" } }}>{me.username}</Typography>
          <Chip size="small" label={me.role} sx={{ color: "inherit", borderColor: "currentColor" }} variant="outlined" />
          <Tooltip title="Sign out">
            <IconButton color="inherit" onClick={signOut} aria-label="Sign out" sx={{ ml: 1 }}>
              <LogoutIcon />
            </IconButton>
          </Tooltip>
        </Toolbar>
      </AppBar>
      <Drawer
        variant={wide ? "permanent" : "temporary"}
        open={wide || menuOpen}
        onClose={() => setMenuOpen(false)}
        sx={{ width: DRAWER_WIDTH, flexShrink: 0, "& .MuiDrawer-paper": { width: DRAWER_WIDTH, boxSizing: "border-box" } }}
      >
        <Toolbar />
        <List component="nav" aria-label="Pages">
          {NAVIGATION.filter((item) => me.canAdminister || !item.adminsOnly).map((item) => (
            <ListItemButton
              key={item.to}
              component={NavLink}
              to={item.to}
              end={item.to === "/"}
              onClick={() => setMenuOpen(false)}
              sx={{ "&.active": { bgcolor: "action.selected" } }}
            >
              <ListItemIcon>{item.icon}</ListItemIcon>
              <ListItemText primary={item.label} />
            </ListItemButton>
          ))}
        </List>
      </Drawer>
      <Box component="main" sx={{ flexGrow: 1, p: 3, minWidth: 0 }}>
        <Toolbar />
        <Outlet />
      </Box>
    </Box>
  );
}
