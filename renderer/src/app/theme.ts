import { createTheme, type CSSVariablesResolver } from '@mantine/core';

/** Dense by default (UX.md): clinicians read far more than they write. */
export const theme = createTheme({
  primaryColor: 'blue',
  // Filled badges and buttons carry white text: shade 8 keeps it at 4.5:1 or better (shade 6 is about 3.5:1).
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'sm',
  fontFamily: 'system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
});

/**
 * WCAG AA contrast (4.5:1) for the small, dense text clinicians read all day: Mantine's "dimmed"
 * (gray 6) is 3.3:1 on white; gray 7 is 8:1 and still reads as secondary.
 */
export const cssVariablesResolver: CSSVariablesResolver = (resolved) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    // Light badges and alerts: shade 9 text on the palest tint (the default tint leaves teal at 4.3:1).
    ...Object.fromEntries(Object.keys(resolved.colors).map((color) => [`--mantine-color-${color}-light`, `var(--mantine-color-${color}-0)`])),
  },
  dark: {},
});
