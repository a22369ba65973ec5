"use client";

import * as React from "react";
import { Check, Monitor, Moon, Sun, SunMoon } from "lucide-react";
import { useTheme } from "next-themes";
import { DropdownMenu as Menu } from "radix-ui";
import { Button } from "./button";
import { useHydrated } from "./use-hydrated";
import { DropdownMenu, DropdownMenuContent, DropdownMenuLabel, DropdownMenuTrigger } from "./dropdown-menu";

const THEMES = [
  { value: "light", label: "Light", icon: Sun },
  { value: "dark", label: "Dark", icon: Moon },
  { value: "system", label: "System", icon: Monitor },
] as const;

/** Light, dark, or the system's scheme (followed as it changes), saved in this browser. */
export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  const hydrated = useHydrated();
  const current = hydrated ? THEMES.find((t) => t.value === theme) ?? THEMES[2] : undefined;
  const Icon = current?.icon ?? SunMoon;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={current ? `Theme: ${current.label}` : "Theme"}>
          <Icon aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent className="min-w-36">
        <DropdownMenuLabel>Theme</DropdownMenuLabel>
        <Menu.RadioGroup value={current?.value} onValueChange={setTheme}>
          {THEMES.map(({ value, label, icon: ItemIcon }) => (
            <Menu.RadioItem
              key={value}
              value={value}
              className="relative flex cursor-default select-none items-center gap-2 rounded-sm py-1.5 pl-2 pr-8 text-sm outline-none data-[highlighted]:bg-accent data-[highlighted]:text-accent-foreground [&_svg]:size-4"
            >
              <ItemIcon aria-hidden />
              {label}
              <Menu.ItemIndicator className="absolute right-2 flex items-center">
                <Check aria-hidden />
              </Menu.ItemIndicator>
            </Menu.RadioItem>
          ))}
        </Menu.RadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
