import { Badge, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChartAccess } from '../../../shared/contract';
import { formatMinutes, minutesLeft } from './grant-time';

/** In the banner: an active self-authorisation with its time left, and "something is blocked". */
export function AccessMarkers({ access }: { access: ChartAccess }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!access.grant) {
      return undefined;
    }
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, [access.grant]);
  const left = access.grant ? minutesLeft(access.grant.expiresAt, now) : undefined;
  return (
    <>
      {access.grant && left !== undefined && (
        <Tooltip label={t('access.grantTooltip', { text: access.grant.text })} multiline w={320}>
          <Badge color="grape" variant="filled" size="lg" data-testid="banner-grant">
            {t('access.grantLeft', { time: formatMinutes(left, t('access.hourUnit')) })}
          </Badge>
        </Tooltip>
      )}
      {access.blocked && (
        <Badge color="gray" variant="filled" size="lg" data-testid="banner-blocked">
          {t('access.blocked')}
        </Badge>
      )}
    </>
  );
}
