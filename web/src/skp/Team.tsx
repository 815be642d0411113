export function TeamSkp() { return <p>TODO</p>; }
