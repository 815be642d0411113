export function MySkp() { return <p>TODO</p>; }
