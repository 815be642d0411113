import { Console } from "./common";
export function Rosters() { return <Console title="Rosters"><p>TODO</p></Console>; }
