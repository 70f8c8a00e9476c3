/** The intents issue 3 requires in both locales (FallbackIntent included). */
export const REQUIRED_INTENTS = [
  'Greeting',
  'CheckOrderStatus',
  'ReportIssue',
  'ProductInfo',
  'TalkToAgent',
  'Goodbye',
  'FallbackIntent',
] as const;
