import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ContractError } from '../../../shared/contract';

/** Says in the user's language what a failed call means; the technical message stays out of sight. */
export function ContractErrorAlert({ error }: { error: ContractError }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" variant="light" role="alert" data-error-code={error.code}>
      {t(`errors.${error.code}`)}
    </Alert>
  );
}
