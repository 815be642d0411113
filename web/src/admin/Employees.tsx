import { Console } from "./common";
export function Employees() { return <Console title="Employees"><p>TODO</p></Console>; }
export function EmployeeNew() { return <Console title="EmployeeNew"><p>TODO</p></Console>; }
