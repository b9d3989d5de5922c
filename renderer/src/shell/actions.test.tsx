import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useMemo, useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithContract } from '../test/render-with-contract';
import { ActionProvider, keysLabel, useRegisterActions, type WorkstationAction } from './actions';
import { CommandPalette } from './CommandPalette';
import { HelpOverlay } from './HelpOverlay';

function Screen({ onNew }: { onNew: () => void }) {
  const [help, setHelp] = useState(false);
  const actions = useMemo<WorkstationAction[]>(
    () => [
      { id: 'note.new', label: 'Nytt notat', group: 'Notat', hotkey: 'mod+N', inTextFields: true, run: onNew },
      { id: 'app.help', label: 'Hurtigtaster', group: 'Arbeidsstasjonen', hotkey: 'F1', inTextFields: true, run: () => setHelp(true) },
      { id: 'app.help-key', label: 'Hurtigtaster', group: 'Arbeidsstasjonen', hotkey: 'shift+?', run: () => setHelp(true) },
    ],
    [onNew],
  );
  useRegisterActions('test', actions);
  return (
    <>
      <textarea aria-label="Anamnese" />
      <HelpOverlay opened={help} onClose={() => setHelp(false)} />
      <CommandPalette />
    </>
  );
}

const setup = () => {
  const onNew = vi.fn();
  renderWithContract(
    <ActionProvider>
      <Screen onNew={onNew} />
    </ActionProvider>,
    {},
  );
  return { onNew };
};

describe('actions: hotkeys, palette and help', () => {
  it('names keys as a Windows clinician presses them', () => {
    expect(keysLabel('mod+shift+P')).toBe('Ctrl+Shift+P');
    expect(keysLabel('mod+Enter')).toBe('Ctrl+Enter');
  });

  it('a modifier hotkey works while typing in a text field; "?" there is just a character', () => {
    const { onNew } = setup();
    const field = screen.getByLabelText('Anamnese');
    fireEvent.keyDown(field, { key: '?', shiftKey: true });
    expect(screen.queryByTestId('help-overlay')).toBeNull();
    fireEvent.keyDown(field, { key: 'n', ctrlKey: true });
    expect(onNew).toHaveBeenCalledTimes(1);
  });

  it('F1 lists every shortcut with its keys, grouped', async () => {
    setup();
    fireEvent.keyDown(document.body, { key: 'F1' });
    const help = await screen.findByTestId('help-overlay');
    expect(help.textContent).toContain('Nytt notat');
    expect(help.textContent).toContain('Ctrl+N');
    expect(help.textContent).toContain('Notat');
  });

  it('Ctrl+Shift+P opens the palette, which finds and runs an action by its words', async () => {
    const { onNew } = setup();
    fireEvent.keyDown(document.body, { key: 'P', ctrlKey: true, shiftKey: true });
    const search = await screen.findByRole('textbox', { name: 'Kommandopalett' });
    fireEvent.change(search, { target: { value: 'nytt' } });
    const action = await waitFor(() => {
      const found = [...document.querySelectorAll('.mantine-Spotlight-action')].find((el) => el.textContent?.includes('Nytt notat'));
      expect(found).toBeDefined();
      return found as HTMLElement;
    });
    fireEvent.click(action);
    await waitFor(() => expect(onNew).toHaveBeenCalledTimes(1));
  });
});
