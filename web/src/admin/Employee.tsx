import { Console } from "./common";
export function EmployeeDetail() { return <Console title="EmployeeDetail"><p>TODO</p></Console>; }
