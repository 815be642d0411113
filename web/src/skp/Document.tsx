export function SkpDocument() { return <p>TODO</p>; }
