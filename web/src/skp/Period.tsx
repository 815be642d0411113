export function SkpPeriod() { return <p>TODO</p>; }
