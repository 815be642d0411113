import { render } from "preact";
import { App } from "./app";
import { resume } from "./api/client";
import { Loading } from "./components/ui";
import { lang } from "./i18n";
import { watchConnection } from "./lib/online";
import { startRouter } from "./lib/router";
import "./styles.css";

const root = document.getElementById("app")!;
document.documentElement.lang = lang.value;
startRouter();
watchConnection();

if ("serviceWorker" in navigator && import.meta.env.PROD) {
  navigator.serviceWorker.register("/sw.js").catch(() => undefined);
}

render(<Loading />, root);
resume()
  .catch(() => undefined) // offline or no session: the sign-in screen says what is needed
  .finally(() => render(<App />, root));
