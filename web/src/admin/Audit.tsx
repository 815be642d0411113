import { Console } from "./common";
export function AuditLog() { return <Console title="AuditLog"><p>TODO</p></Console>; }
