import { Console } from "./common";
export function OfficeSchedule() { return <Console title="OfficeSchedule"><p>TODO</p></Console>; }
