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
  /** Laptop-first screens (the HR console): the page may use the whole width. */
  wide?: boolean;
}

const supervisor = {
  Team: lazy(() => import("./screens/supervisor/Team").then((m) => m.Team)),
  Inbox: lazy(() => import("./screens/supervisor/Inbox").then((m) => m.Inbox)),
  LeaveDecision: lazy(() => import("./screens/supervisor/Decisions").then((m) => m.LeaveDecision)),
  HomeDecision: lazy(() => import("./screens/supervisor/Decisions").then((m) => m.HomeLocationDecision)),
  LogDecision: lazy(() => import("./screens/supervisor/Decisions").then((m) => m.DailyLogDecision)),
  Assign: lazy(() => import("./screens/supervisor/AssignTask").then((m) => m.AssignTask)),
  Flagged: lazy(() => import("./trust/Review").then((m) => m.FlaggedDecision)),
  DeviceDecision: lazy(() => import("./trust/Review").then((m) => m.DeviceDecision)),
  CorrectionDecision: lazy(() => import("./trust/Review").then((m) => m.CorrectionDecision)),
};

// Attendance corrections and my devices (docs/trust.md): a chunk of their own.
const trust = {
  Corrections: lazy(() => import("./trust/Corrections").then((m) => m.CorrectionList)),
  CorrectionNew: lazy(() => import("./trust/Corrections").then((m) => m.CorrectionNew)),
  Devices: lazy(() => import("./trust/Devices").then((m) => m.MyDevices)),
};

// The HR console (BKPSDM): each screen its own chunk; Leaflet only in the offices' chunk.
const admin = {
  Home: lazy(() => import("./admin/Home").then((m) => m.AdminHome)),
  Units: lazy(() => import("./admin/Units").then((m) => m.Units)),
  Employees: lazy(() => import("./admin/Employees").then((m) => m.Employees)),
  EmployeeNew: lazy(() => import("./admin/Employees").then((m) => m.EmployeeNew)),
  Employee: lazy(() => import("./admin/Employee").then((m) => m.EmployeeDetail)),
  Import: lazy(() => import("./admin/Import").then((m) => m.EmployeeImport)),
  Offices: lazy(() => import("./admin/Offices").then((m) => m.Offices)),
  Office: lazy(() => import("./admin/Offices").then((m) => m.OfficeEdit)),
  Schedule: lazy(() => import("./admin/Schedule").then((m) => m.OfficeSchedule)),
  Holidays: lazy(() => import("./admin/Holidays").then((m) => m.Holidays)),
  Rosters: lazy(() => import("./admin/Rosters").then((m) => m.Rosters)),
  Recap: lazy(() => import("./admin/Recap").then((m) => m.Recap)),
  RecapDays: lazy(() => import("./admin/Recap").then((m) => m.RecapDays)),
  Close: lazy(() => import("./admin/Close").then((m) => m.DailyClose)),
  Audit: lazy(() => import("./admin/Audit").then((m) => m.AuditLog)),
  SkpReport: lazy(() => import("./admin/SkpReport").then((m) => m.SkpReport)),
};

// The annual plan (SKP): the employee's and the supervisor's screens, one chunk of their own.
const skp = {
  Mine: lazy(() => import("./skp/MySkp").then((m) => m.MySkp)),
  Plan: lazy(() => import("./skp/Plan").then((m) => m.SkpPlan)),
  Period: lazy(() => import("./skp/Period").then((m) => m.SkpPeriod)),
  Document: lazy(() => import("./skp/Document").then((m) => m.SkpDocument)),
  Team: lazy(() => import("./skp/Team").then((m) => m.TeamSkp)),
};

export const ROUTES: Route[] = [
  { path: "/", title: "nav.home", screen: Home, audience: "staff", nav: "bar", icon: "home" },
  { path: "/presensi", title: "ci.titleIn", screen: CheckIn, audience: "staff" },
  { path: "/riwayat", title: "hist.title", screen: History, audience: "staff", nav: "bar", icon: "calendar", label: "nav.history" },
  { path: "/tugas", title: "tasks.title", screen: Tasks, audience: "staff", nav: "bar", icon: "tasks", label: "nav.tasks" },
  { path: "/tugas/:id", title: "tasks.title", screen: TaskDetail, audience: "staff" },
  { path: "/tim", title: "team.title", screen: supervisor.Team, audience: "supervisor", nav: "bar", icon: "team", label: "nav.team" },
  { path: "/admin", title: "nav.admin", screen: admin.Home, audience: "admin", nav: "bar", icon: "admin", wide: true },
  { path: "/menu", title: "nav.menu", screen: Menu, audience: "staff", nav: "bar", icon: "menu" },

  { path: "/jadwal", title: "roster.title", screen: Roster, audience: "staff", nav: "menu", section: "staff" },
  { path: "/izin", title: "leave.title", screen: LeaveList, audience: "staff", nav: "menu", section: "staff" },
  { path: "/izin/baru", title: "leave.newTitle", screen: LeaveNew, audience: "staff" },
  { path: "/laporan-harian", title: "log.title", screen: DailyLog, audience: "staff", nav: "menu", section: "staff" },
  { path: "/lokasi-rumah", title: "homeLoc.title", screen: HomeLocationScreen, audience: "staff", nav: "menu", section: "staff" },
  { path: "/koreksi", title: "nav.corrections", screen: trust.Corrections, audience: "staff", nav: "menu", section: "staff" },
  { path: "/koreksi/baru", title: "nav.corrections", screen: trust.CorrectionNew, audience: "staff" },
  { path: "/perangkat", title: "nav.devices", screen: trust.Devices, audience: "staff", nav: "menu", section: "staff" },
  { path: "/skp", title: "nav.skp", screen: skp.Mine, audience: "staff", nav: "menu", section: "staff" },
  { path: "/skp/:id", title: "nav.skp", screen: skp.Plan, audience: "staff" },
  { path: "/skp/:id/periode/:period", title: "nav.skpPeriod", screen: skp.Period, audience: "staff" },
  { path: "/skp/:id/dokumen", title: "nav.skpDocument", screen: skp.Document, audience: "staff" },
  { path: "/skp/:id/periode/:period/dokumen", title: "nav.skpDocument", screen: skp.Document, audience: "staff" },

  { path: "/persetujuan", title: "inbox.title", screen: supervisor.Inbox, audience: "supervisor", nav: "menu", section: "supervisor", icon: "inbox" },
  { path: "/persetujuan/izin/:id", title: "inbox.leave", screen: supervisor.LeaveDecision, audience: "supervisor" },
  { path: "/persetujuan/lokasi/:nip", title: "inbox.homeLocations", screen: supervisor.HomeDecision, audience: "supervisor" },
  { path: "/persetujuan/laporan/:nip/:id", title: "inbox.dailyLogs", screen: supervisor.LogDecision, audience: "supervisor" },
  { path: "/persetujuan/presensi/:id", title: "inbox.title", screen: supervisor.Flagged, audience: "supervisor" },
  { path: "/persetujuan/perangkat/:id", title: "inbox.title", screen: supervisor.DeviceDecision, audience: "supervisor" },
  { path: "/persetujuan/koreksi/:id", title: "inbox.title", screen: supervisor.CorrectionDecision, audience: "supervisor" },
  { path: "/tugas-baru", title: "assign.title", screen: supervisor.Assign, audience: "supervisor", nav: "menu", section: "supervisor" },
  { path: "/skp-tim", title: "nav.skpTeam", screen: skp.Team, audience: "supervisor", nav: "menu", section: "supervisor" },

  { path: "/admin/pegawai", title: "nav.adminEmployees", screen: admin.Employees, audience: "admin", nav: "menu", section: "admin", wide: true },
  { path: "/admin/pegawai/baru", title: "nav.adminEmployeeNew", screen: admin.EmployeeNew, audience: "admin", wide: true },
  { path: "/admin/pegawai/impor", title: "nav.adminImport", screen: admin.Import, audience: "admin", nav: "menu", section: "admin", wide: true },
  { path: "/admin/pegawai/:nip", title: "nav.adminEmployee", screen: admin.Employee, audience: "admin", wide: true },
  { path: "/admin/unit", title: "nav.adminUnits", screen: admin.Units, audience: "admin", nav: "menu", section: "admin", wide: true },
  { path: "/admin/kantor", title: "nav.adminOffices", screen: admin.Offices, audience: "admin", nav: "menu", section: "admin", wide: true },
  { path: "/admin/kantor/baru", title: "nav.adminOfficeNew", screen: admin.Office, audience: "admin", wide: true },
  { path: "/admin/kantor/:code", title: "nav.adminOffice", screen: admin.Office, audience: "admin", wide: true },
  { path: "/admin/kantor/:code/jadwal", title: "nav.adminSchedule", screen: admin.Schedule, audience: "admin", wide: true },
  { path: "/admin/libur", title: "nav.adminHolidays", screen: admin.Holidays, audience: "admin", nav: "menu", section: "admin", wide: true },
  { path: "/admin/roster", title: "nav.adminRosters", screen: admin.Rosters, audience: "admin", nav: "menu", section: "admin", wide: true },
  { path: "/admin/rekap", title: "nav.adminRecap", screen: admin.Recap, audience: "admin", nav: "menu", section: "admin", wide: true },
  { path: "/admin/rekap/:nip", title: "nav.adminRecapDays", screen: admin.RecapDays, audience: "admin", wide: true },
  { path: "/admin/tutup-hari", title: "nav.adminClose", screen: admin.Close, audience: "admin", nav: "menu", section: "admin", wide: true },
  { path: "/admin/audit", title: "nav.adminAudit", screen: admin.Audit, audience: "admin", nav: "menu", section: "admin", wide: true },
  { path: "/admin/skp", title: "nav.adminSkp", screen: admin.SkpReport, audience: "admin", nav: "menu", section: "admin", wide: true },

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
