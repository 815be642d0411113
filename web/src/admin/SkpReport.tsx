import { Console } from "./common";
export function SkpReport() { return <Console title="SkpReport"><p>TODO</p></Console>; }
