import { render } from "preact";
import { App } from "./App";
import { pickBackend } from "./backend";
import { AppStore } from "./state/store";
import "./styles.css";

async function main(): Promise<void> {
  const root = document.getElementById("app");
  if (!root) return;
  const backend = await pickBackend();
  render(<App store={new AppStore(backend)} />, root);
}

void main();
