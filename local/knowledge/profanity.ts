/**
 * The local stand-in for Bedrock's managed PROFANITY word list (which is not published): a
 * short list of common English profanity, used only when the policy turns the managed list on.
 * Matched as whole words, case-insensitively, like the policy's own words.
 */
export const LOCAL_PROFANITY: readonly string[] = [
  'fuck',
  'fucking',
  'fucked',
  'shit',
  'shitty',
  'bullshit',
  'bitch',
  'asshole',
  'bastard',
  'dickhead',
  'motherfucker',
  'cunt',
  'wtf',
];
