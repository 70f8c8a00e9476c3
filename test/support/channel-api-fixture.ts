/**
 * A ChannelApi in its own stack, as the bot stack builds it (a Lex bot, an isolated VPC and the
 * Lambda security group, its conversation gate bound), for the channel API's construct tests.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { BOT_MODEL } from '../../contracts/bot-model';
import { ChannelApi, type ChannelApiProps } from '../../lib/constructs/channel-api';
import { LexBot } from '../../lib/constructs/lex-bot';
import { constructStack, stubFunction } from './construct-stack';

export const GATE = { ratePerSecond: 0.5, burst: 8, ownerTtlSeconds: 1800 };

/** `bindGate: false` leaves the gate unbound (synth must then refuse it). */
export function channelApiFixture(overrides: Partial<ChannelApiProps> = {}, bindGate = true) {
  const stack = constructStack();
  const bot = new LexBot(stack, 'Bot', {
    botName: 'b',
    model: BOT_MODEL,
    fulfillment: stubFunction(stack),
    nluConfidenceThreshold: 0.4,
    idleSessionTtlSeconds: 300,
    logRetention: logs.RetentionDays.ONE_WEEK,
  });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const securityGroup = new ec2.SecurityGroup(stack, 'LambdaSg', { vpc, allowAllOutbound: false });
  const api = new ChannelApi(stack, 'ChannelApi', {
    bot,
    vpc,
    securityGroup,
    environmentName: 'test',
    throttleRateLimit: 100,
    throttleBurstLimit: 200,
    logRetention: logs.RetentionDays.ONE_WEEK,
    loadTestInvoker: { account: '444444444444', path: '/test/' },
    ...overrides,
  });
  const authSecret = new secretsmanager.Secret(stack, 'RedisAuth');
  if (bindGate) api.bindConversationGate({ host: 'redis.internal', port: 6380, authSecret }, GATE);
  return { stack, bot, api, vpc, securityGroup, authSecret };
}
