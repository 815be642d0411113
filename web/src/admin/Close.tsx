import { Console } from "./common";
export function DailyClose() { return <Console title="DailyClose"><p>TODO</p></Console>; }
