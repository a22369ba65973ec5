import type { ParseArgsConfig } from "node:util";
import type { Output } from "./output";

export type CommandContext = {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  out: Output;
};

export type Command = {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  positionals?: number;
  run: (ctx: CommandContext) => Promise<void>;
};
