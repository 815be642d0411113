/** The route table: every screen, who may see it and where it shows in the navigation.
 * Admin (BKPSDM) and SKP screens join here with their own `audience` and `section`. */
import type { ComponentType } from "preact";
import { isAdmin, isSupervisor } from "./api/session";
import type { IconName } from "./components/icons";
import type { MessageKey } from "./i18n";
import { lazy } from "./lib/lazy";
import { About } from "./screens/About";
import { CheckIn } from "./screens/CheckIn";
import { DailyLog } from "./screens/DailyLog";
import { History } from "./screens/History";
import { Home } from "./screens/Home";
import { HomeLocationScreen } from "./screens/HomeLocation";
import { LeaveList, LeaveNew } from "./screens/Leave";
import { Menu } from "./screens/Menu";
import { Roster } from "./screens/Roster";
import { TaskDetail, Tasks } from "./screens/Tasks";

export type Audience = "staff" | "supervisor" | "admin";

export interface Route {
  path: string;
  title: MessageKey;
  screen: ComponentType<{ params: Record<string, string> }>;
  /** Who may open it: everyone signed in ("staff"), people with direct subordinates, admins. */
  audience: Audience;
  /** "bar": the bottom bar (few, daily); "menu": the menu screen's list, under `section`. */
  nav?: "bar" | "menu";
  section?: "staff" | "supervisor" | "admin";
  icon?: IconName;
  /** A shorter name for the bottom bar. */
  label?: MessageKey;
}

const supervisor = {
  Team: lazy(() => import("./screens/supervisor/Team").then((m) => m.Team)),
  Inbox: lazy(() => import("./screens/supervisor/Inbox").then((m) => m.Inbox)),
  LeaveDecision: lazy(() => import("./screens/supervisor/Decisions").then((m) => m.LeaveDecision)),
  HomeDecision: lazy(() => import("./screens/supervisor/Decisions").then((m) => m.HomeLocationDecision)),
  LogDecision: lazy(() => import("./screens/supervisor/Decisions").then((m) => m.DailyLogDecision)),
  Assign: lazy(() => import("./screens/supervisor/AssignTask").then((m) => m.AssignTask)),
};

export const ROUTES: Route[] = [
  { path: "/", title: "nav.home", screen: Home, audience: "staff", nav: "bar", icon: "home" },
  { path: "/presensi", title: "ci.titleIn", screen: CheckIn, audience: "staff" },
  { path: "/riwayat", title: "hist.title", screen: History, audience: "staff", nav: "bar", icon: "calendar", label: "nav.history" },
  { path: "/tugas", title: "tasks.title", screen: Tasks, audience: "staff", nav: "bar", icon: "tasks", label: "nav.tasks" },
  { path: "/tugas/:id", title: "tasks.title", screen: TaskDetail, audience: "staff" },
  { path: "/tim", title: "team.title", screen: supervisor.Team, audience: "supervisor", nav: "bar", icon: "team", label: "nav.team" },
  { path: "/menu", title: "nav.menu", screen: Menu, audience: "staff", nav: "bar", icon: "menu" },

  { path: "/jadwal", title: "roster.title", screen: Roster, audience: "staff", nav: "menu", section: "staff" },
  { path: "/izin", title: "leave.title", screen: LeaveList, audience: "staff", nav: "menu", section: "staff" },
  { path: "/izin/baru", title: "leave.newTitle", screen: LeaveNew, audience: "staff" },
  { path: "/laporan-harian", title: "log.title", screen: DailyLog, audience: "staff", nav: "menu", section: "staff" },
  { path: "/lokasi-rumah", title: "homeLoc.title", screen: HomeLocationScreen, audience: "staff", nav: "menu", section: "staff" },

  { path: "/persetujuan", title: "inbox.title", screen: supervisor.Inbox, audience: "supervisor", nav: "menu", section: "supervisor", icon: "inbox" },
  { path: "/persetujuan/izin/:id", title: "inbox.leave", screen: supervisor.LeaveDecision, audience: "supervisor" },
  { path: "/persetujuan/lokasi/:nip", title: "inbox.homeLocations", screen: supervisor.HomeDecision, audience: "supervisor" },
  { path: "/persetujuan/laporan/:nip/:id", title: "inbox.dailyLogs", screen: supervisor.LogDecision, audience: "supervisor" },
  { path: "/tugas-baru", title: "assign.title", screen: supervisor.Assign, audience: "supervisor", nav: "menu", section: "supervisor" },

  { path: "/tentang", title: "about.title", screen: About, audience: "staff", nav: "menu", section: "staff" },
];

export interface Viewer {
  supervisor: boolean;
  admin: boolean;
}

export function viewer(): Viewer {
  return { supervisor: isSupervisor.value, admin: isAdmin.value };
}

export function allowed(route: Route, viewer: Viewer): boolean {
  if (route.audience === "supervisor") return viewer.supervisor;
  if (route.audience === "admin") return viewer.admin;
  return true;
}
