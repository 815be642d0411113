import { Console } from "./common";
export function Units() { return <Console title="Units"><p>TODO</p></Console>; }
