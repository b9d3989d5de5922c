import { Kbd, Modal, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { keysLabel, useActions } from './actions';

/** F1 or ?: every shortcut of the screen, grouped as in the palette. */
export function HelpOverlay({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const actions = useActions().filter((a) => a.hotkey);
  const groups = [...new Set(actions.map((a) => a.group))];
  return (
    <Modal closeButtonProps={{ 'aria-label': t('help.close') }} opened={opened} onClose={onClose} title={t('help.heading')} size="lg">
      <Table striped withRowBorders={false} verticalSpacing={4} data-testid="help-overlay">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('help.action')}</Table.Th>
            <Table.Th>{t('help.keys')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {groups.flatMap((group) => [
            <Table.Tr key={`g-${group}`}>
              <Table.Th colSpan={2} scope="rowgroup">
                {group}
              </Table.Th>
            </Table.Tr>,
            ...actions
              .filter((a) => a.group === group)
              .map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{a.label}</Table.Td>
                  <Table.Td>
                    <Kbd size="xs">{keysLabel(a.hotkey ?? '')}</Kbd>
                  </Table.Td>
                </Table.Tr>
              )),
          ])}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
