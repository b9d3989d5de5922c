import { Alert, Button, Divider, Group, Modal, NumberInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ContractError, type SettingKey, type SettingsSetInput, type SettingsView } from '../../../shared/contract';
import { ContractErrorAlert } from '../app/ContractErrorAlert';
import { useContract } from '../contract/hooks';
import { languages } from '../i18n/i18n';
import { LockedMark } from './LockedMark';
import { SettingRow } from './SettingRow';
import { useSettings } from './useSettings';

/** The settings screen: what a clinician may change, and what IT set (locked keys shown as locked). */
export function SettingsDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { view, error, save } = useSettings();
  return (
    <Modal opened={opened} onClose={onClose} title={t('settings.heading')} size="lg" closeButtonProps={{ 'aria-label': t('settings.close') }}>
      {error && <ContractErrorAlert error={error} />}
      {view && <SettingsForm view={view} save={save} onClose={onClose} />}
    </Modal>
  );
}

function SettingsForm({ view, save, onClose }: { view: SettingsView; save: (changes: SettingsSetInput) => Promise<SettingsView>; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const client = useContract();
  const locked = (key: SettingKey): boolean => view.locked.includes(key);
  const [language, setLanguage] = useState(view.values.language);
  const [minutes, setMinutes] = useState<number | string>(view.values.idleLockMinutes);
  const [cardLabel, setCardLabel] = useState(view.values.cardLabel ?? '');
  const [result, setResult] = useState<{ kind: 'saved' } | { kind: 'exported'; path: string } | { kind: 'error'; error: ContractError } | undefined>(undefined);

  const submit = (): void => {
    const changes: SettingsSetInput = {};
    if (!locked('language') && language !== view.values.language) {
      changes.language = language;
    }
    if (!locked('idleLockMinutes') && typeof minutes === 'number' && minutes !== view.values.idleLockMinutes) {
      changes.idleLockMinutes = minutes;
    }
    if (!locked('cardLabel') && cardLabel.trim() !== (view.values.cardLabel ?? '')) {
      changes.cardLabel = cardLabel.trim() === '' ? null : cardLabel.trim();
    }
    save(changes).then(
      (next) => {
        if (next.values.language !== i18n.language) {
          void i18n.changeLanguage(next.values.language);
          document.documentElement.lang = next.values.language;
        }
        setResult({ kind: 'saved' });
      },
      (failure: unknown) => setResult({ kind: 'error', error: failure instanceof ContractError ? failure : new ContractError('INTERNAL', 'unexpected') }),
    );
  };

  const exportLogs = (): void => {
    client.call('log.export', {}).then(
      ({ path }) => setResult({ kind: 'exported', path }),
      (failure: unknown) => setResult({ kind: 'error', error: failure instanceof ContractError ? failure : new ContractError('INTERNAL', 'unexpected') }),
    );
  };

  const lockedNote = (key: SettingKey) => (locked(key) ? <LockedMark /> : undefined);
  const shown = (value: string | undefined) => value ?? t('settings.notSet');
  // The journal in use: the start-up's (npm start, the demo journal) goes before the setting.
  const inForceJournal = view.inForce?.journalUrl ?? view.values.journalUrl ?? '';
  const journal = view.inForce?.demoJournal
    ? t('settings.demoJournal', { url: inForceJournal })
    : view.inForce?.journalUrl
      ? t('settings.journalFromStart', { url: view.inForce.journalUrl })
      : shown(view.values.journalUrl);
  const cardModule = view.inForce?.testCard
    ? t('settings.testCard')
    : view.inForce?.pkcs11Module
      ? t('settings.moduleFromStart', { module: view.inForce.pkcs11Module })
      : shown(view.values.pkcs11Module);
  const setAside = view.notices.find((notice) => notice.kind === 'user-file-set-aside');

  return (
    <Stack gap="md">
      {setAside && (
        <Alert color="orange" data-testid="settings-set-aside">
          {t('settings.setAside', { path: setAside.setAsidePath })}
        </Alert>
      )}
      <Text size="sm" fw={600}>
        {t('settings.yours')}
      </Text>
      <SettingRow label={t('settings.language')} locked={locked('language')}>
        <SegmentedControl
          size="xs"
          aria-label={t('settings.language')}
          value={language}
          disabled={locked('language')}
          onChange={(value) => setLanguage(value === 'en' ? 'en' : 'nb')}
          data={languages.map((code) => ({ value: code, label: t(`language.${code}`) }))}
        />
      </SettingRow>
      <NumberInput
        label={t('settings.idleLockMinutes')}
        description={lockedNote('idleLockMinutes')}
        disabled={locked('idleLockMinutes')}
        min={1}
        max={240}
        allowDecimal={false}
        value={minutes}
        onChange={setMinutes}
        data-testid="setting-idle-minutes"
      />
      <TextInput
        label={t('settings.cardLabel')}
        description={lockedNote('cardLabel') ?? t('settings.cardLabelHint')}
        disabled={locked('cardLabel')}
        value={cardLabel}
        maxLength={64}
        onChange={(event) => setCardLabel(event.currentTarget.value)}
      />
      <Divider />
      <Text size="sm" fw={600}>
        {t('settings.machine')}
      </Text>
      <SettingRow label={t('settings.journalUrl')} locked={locked('journalUrl')}>
        <Text size="sm" data-testid="setting-journal-url">{journal}</Text>
      </SettingRow>
      <SettingRow label={t('settings.pkcs11Module')} locked={locked('pkcs11Module')}>
        <Text size="sm" data-testid="setting-pkcs11-module">
          {cardModule}
        </Text>
      </SettingRow>
      <SettingRow label={t('settings.updateUrl')} locked={locked('updateUrl') || locked('updateChannel') || locked('updateInstallTime')}>
        <Text size="sm">
          {shown(view.values.updateUrl)} · {t('settings.updateChannel')}: {t(`settings.channel.${view.values.updateChannel}`)} ·{' '}
          {view.values.updateInstallTime ? t('settings.updateInstallAt', { time: view.values.updateInstallTime }) : t('settings.updateInstallAtQuit')}
        </Text>
      </SettingRow>
      <SettingRow label={t('settings.contentProtection')} locked={locked('contentProtection')}>
        <Text size="sm">{view.values.contentProtection ? t('settings.on') : t('settings.off')}</Text>
      </SettingRow>
      {result?.kind === 'saved' && <Alert color="green">{t('settings.saved')}</Alert>}
      {result?.kind === 'exported' && (
        <Alert color="blue" data-testid="logs-exported">
          {t('settings.exported', { path: result.path })}
        </Alert>
      )}
      {result?.kind === 'error' && <ContractErrorAlert error={result.error} />}
      <Group justify="space-between">
        <Button variant="default" onClick={exportLogs}>
          {t('settings.exportLogs')}
        </Button>
        <Group gap="xs">
          <Button variant="subtle" onClick={onClose}>
            {t('settings.close')}
          </Button>
          <Button onClick={submit} data-testid="settings-save">
            {t('settings.save')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
