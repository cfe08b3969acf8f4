import type { HealthIssue, Server } from '@uni-manager/contracts';
import type { Translate } from '@/lib/i18n/translate';
import { errorKindMessage } from './connection-result';

function describe(issue: HealthIssue, t: Translate): string {
  switch (issue.code) {
    case 'UNREACHABLE':
    case 'NODES_UNLISTED':
      return t(`servers.issues.${issue.code}`, { reason: t(errorKindMessage(issue.kind)) });
    case 'ALL_NODES_DOWN':
      return t('servers.issues.ALL_NODES_DOWN');
    case 'NODE_OFFLINE':
      return t('servers.issues.NODE_OFFLINE', { node: issue.node });
    case 'NODE_SATURATED':
      return t('servers.issues.NODE_SATURATED', {
        node: issue.node,
        metric: t(`servers.issues.metrics.${issue.metric}`),
        percent: issue.percent,
      });
  }
}

/**
 * Why a server is not healthy, in the reader's language: from the monitor's
 * structured issues, or its English text when there are none (older checks).
 */
export function healthReasonText(server: Pick<Server, 'healthIssues' | 'healthReason'>, t: Translate): string | null {
  if (server.healthIssues.length) return server.healthIssues.map((i) => describe(i, t)).join(' ');
  return server.healthReason;
}
