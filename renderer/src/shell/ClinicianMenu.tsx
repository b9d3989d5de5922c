import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionStatus } from '../../../shared/contract';
import { LanguageSwitch } from '../app/LanguageSwitch';

const initials = (name: string): string =>
  name
    .split(/\s+/)
    .filter((part) => /^\p{L}/u.test(part))
    .slice(0, 3)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('') || '?';

/** Who is logged in, with lock, settings, language and "Om Akson". */
export function ClinicianMenu({ status, onLock, onAbout, onSettings }: { status: SessionStatus; onLock: () => void; onAbout: () => void; onSettings: () => void }) {
  const { t } = useTranslation();
  const name = status.clinician?.name ?? '';
  return (
    <Menu position="bottom-end" width={280} closeOnItemClick>
      <Menu.Target>
        <UnstyledButton aria-label={`${t('shell.menu')}: ${t('session.loggedInAs', { name, hpr: status.clinician?.hpr ?? '' })}`} data-testid="clinician-menu">
          <Group gap={8} wrap="nowrap">
            <Avatar color="blue" radius="xl" size={30}>
              {initials(name)}
            </Avatar>
            <Text size="sm" fw={500} data-testid="session-clinician" visibleFrom="md">
              {name}
            </Text>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('session.loggedInAs', { name, hpr: status.clinician?.hpr ?? '' })}</Menu.Label>
        <Menu.Item onClick={onLock} data-testid="menu-lock">
          {t('shell.lock')}
        </Menu.Item>
        <Menu.Item onClick={onSettings} data-testid="menu-settings">
          {t('settings.menu')}
        </Menu.Item>
        <Menu.Item onClick={onAbout}>{t('shell.about')}</Menu.Item>
        <Menu.Divider />
        <div style={{ padding: '4px 12px 8px' }}>
          <LanguageSwitch />
        </div>
      </Menu.Dropdown>
    </Menu>
  );
}
