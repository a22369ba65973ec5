#!/usr/bin/env node
// `npx gatehouse …`: runs the TypeScript CLI in-process through tsx.
import { register } from "tsx/esm/api";

register();
await import("../cli/main.ts");
