export function SkpPlan() { return <p>TODO</p>; }
