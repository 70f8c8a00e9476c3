/**
 * Cost lines of the network edge: interface VPC endpoints, and the web chat (API Gateway,
 * CloudFront, WAF).
 */
import { HOURS_PER_MONTH, USAGE } from '../usage';
import { GB, line, type Context, type CostLine } from './context';

/** Interface endpoints: every endpoint in every AZ all month, and the bytes the turns send through them. */
export function endpoints({ inventory, volumes: v }: Context): CostLine[] {
  if (inventory.interfaceEndpoints === 0) return [];
  return [
    line(
      'VPC interface endpoints',
      'interfaceEndpointAzHour',
      inventory.interfaceEndpointAzs * HOURS_PER_MONTH,
    ),
    line('VPC interface endpoints', 'interfaceEndpointDataGb', (v.turns * USAGE.endpointBytesPerTurn) / GB),
  ];
}

/** The web chat: CloudFront requests and bytes, WAF on them, the API's requests. */
export function web({ inventory, volumes: v }: Context): CostLine[] {
  const pageLoads = v.conversations * USAGE.webChatShareOfConversations;
  const requests = pageLoads * USAGE.widgetRequestsPerConversation * inventory.distributions;
  return [
    line('API Gateway', 'httpApiRequest', inventory.httpApis > 0 ? v.turns + v.feedback : 0),
    line('CloudFront', 'cloudFrontRequest', requests),
    line(
      'CloudFront',
      'cloudFrontTransferGb',
      (pageLoads * USAGE.widgetBytesPerConversation * inventory.distributions) / GB,
    ),
    line('WAF', 'wafWebAcl', inventory.webAclRules.length),
    line(
      'WAF',
      'wafRule',
      inventory.webAclRules.reduce((a, b) => a + b, 0),
    ),
    line('WAF', 'wafRequest', inventory.webAclRules.length > 0 ? requests : 0),
  ];
}
