import { Console } from "./common";
export function Recap() { return <Console title="Recap"><p>TODO</p></Console>; }
export function RecapDays() { return <Console title="RecapDays"><p>TODO</p></Console>; }
