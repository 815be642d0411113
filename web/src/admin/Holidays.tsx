import { Console } from "./common";
export function Holidays() { return <Console title="Holidays"><p>TODO</p></Console>; }
