import { createTheme } from '@mantine/core';

/** Dense by default (UX.md): clinicians read far more than they write. */
export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'sm',
  fontFamily: 'system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
});
