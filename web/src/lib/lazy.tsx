/** A screen whose code loads on first use (the supervisor's and, later, the admin's screens). */
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { LoadError, Loading } from "../components/ui";
import { networkFailure } from "../api/failure";

export interface ScreenProps {
  params: Record<string, string>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lazy(load: () => Promise<ComponentType<any>>): ComponentType<ScreenProps> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let loaded: ComponentType<any> | null = null;
  return function Lazy(props: ScreenProps) {
    const [, setReady] = useState(0);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (!loaded) load().then((c) => { loaded = c; setReady(1); }, () => setFailed(true));
    }, []);
    if (failed) return <LoadError error={networkFailure()} retry={() => location.reload()} />;
    if (!loaded) return <Loading />;
    const Screen = loaded;
    return <Screen {...props} />;
  };
}
