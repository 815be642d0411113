import { Console } from "./common";
export function EmployeeImport() { return <Console title="EmployeeImport"><p>TODO</p></Console>; }
