/**
 * ChannelApi owns the channel API: the HTTP API (IAM auth by default), its `$default` stage
 * (throttled, JSON access logs to its own log group), the channel function that validates a
 * message and sends it to Lex RecognizeText on the bot's live alias, the routes (POST messages
 * with IAM auth, GET health without), and the role a load test assumes to call the API as a
 * client would.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { absolute, HANDLERS } from '../../bundling/index';
import { LOCALES } from '../../contracts/bot-model/types';
import { CHANNEL_SERVICE } from '../../contracts/metrics';
import { ChannelEnv } from '../../contracts/runtime-env';
import { acknowledge } from '../nag';
import type { SessionStore } from './fulfillment-function';
import { LexBot } from './lex-bot';
import { logicalIdOf } from './logical-ids';
import { PlatformFunction } from './platform-function';

/** Who may call the API as a load-test client. */
export interface LoadTestInvoker {
  /** Account whose principals may assume the role (12 digits). */
  readonly account: string;
  /**
   * IAM path of the role (`/a/b/`). The role has no fixed name, so a replacement or a second copy
   * in the same account never collides; policies that may assume it name the path, and the exact
   * ARN is `loadTestInvokerRole.roleArn` (a stack output).
   */
  readonly path: string;
}

export interface ChannelApiProps {
  /** The bot the channel function talks to (RecognizeText on its live alias). */
  readonly bot: LexBot;
  /**
   * The VPC the channel function runs in (its isolated subnets, else its private ones): it reaches
   * the conversation gate's Redis there, and Lex, Secrets Manager and X-Ray through the VPC's
   * interface endpoints (the network stack's INTERFACE_ENDPOINTS; no NAT).
   */
  readonly vpc: ec2.IVpc;
  /** The function's security group: the one Redis and the interface endpoints admit. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** The environment's name: API description and the function's PLATFORM_ENVIRONMENT. */
  readonly environmentName: string;
  /** Steady-state requests per second of the `$default` stage (1+). */
  readonly throttleRateLimit: number;
  /** Burst of the `$default` stage (1+). */
  readonly throttleBurstLimit: number;
  /** Retention of the access logs and of the channel function's logs. */
  readonly logRetention: logs.RetentionDays;
  /** The role a load test assumes to call the API. */
  readonly loadTestInvoker: LoadTestInvoker;
  /**
   * What happens to the access log group when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * The API's name.
   * @default - this construct's id
   */
  readonly apiName?: string;
  /**
   * Browser origins allowed to call the API (CORS), e.g. the web chat's `https://<id>.cloudfront.net`;
   * empty or absent: no CORS (no browser page may call it cross-origin).
   * @default - none
   */
  readonly corsAllowedOrigins?: readonly string[];
}

/**
 * The routes a customer's browser calls, as execute-api ARNs name them (`*` = the conversation
 * id): the web identity pool's roles may invoke these and nothing else. Feedback arrives with a
 * later issue; its ARN is allowed already.
 */
export const CUSTOMER_ROUTES = [
  { method: 'POST', path: '/v1/conversations/*/messages' },
  { method: 'POST', path: '/v1/conversations/*/feedback' },
] as const;

/**
 * What a SigV4-signed browser request carries besides the CORS-safelisted headers: the preflight
 * must allow each of them.
 */
export const CORS_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
] as const;

/** Response headers a cross-origin page may read besides the safelisted ones (the retry delay of a 429/503). */
export const CORS_EXPOSED_HEADERS = ['retry-after', 'x-amzn-requestid'] as const;

/** The routes, as API Gateway keys them. */
const MESSAGES_PATH = '/v1/conversations/{conversationId}/messages';
const FEEDBACK_PATH = '/v1/conversations/{conversationId}/feedback';
const HEALTH_PATH = '/v1/health';
/** The support desk's ticket routes (addTicketRoutes): POST the collection, GET/PATCH one ticket. */
export const TICKETS_PATH = '/v1/tickets';
export const TICKET_PATH = '/v1/tickets/{ticketId}';

/** Who may assume the SupportDeskRole: a 12-digit account id, or an IAM role ARN. */
export type DeskPrincipal = string;

/** The principal a desk principal string names (account -> its root, delegating; role ARN -> that role). */
export function deskPrincipalOf(principal: DeskPrincipal): iam.IPrincipal {
  if (/^\d{12}$/.test(principal)) return new iam.AccountPrincipal(principal);
  if (/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(principal))
    return new iam.ArnPrincipal(principal);
  throw new Error(
    `support desk principal must be a 12-digit account id or an IAM role ARN, got '${principal}'`,
  );
}

/** The API's one stage. */
export const STAGE_NAME = '$default';

/** Structured (JSON) access logs; no request bodies, so no transcripts. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  sourceIp: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
});

function validate(props: ChannelApiProps): void {
  const { throttleRateLimit: rate, throttleBurstLimit: burst, loadTestInvoker } = props;
  if (!(rate > 0)) throw new Error(`channel api throttle rate limit must be positive, got ${rate}`);
  if (!Number.isInteger(burst) || burst < 1) {
    throw new Error(`channel api throttle burst limit must be a positive integer, got ${burst}`);
  }
  if (!/^\d{12}$/.test(loadTestInvoker.account)) {
    throw new Error(
      `channel api load-test account must be a 12-digit account id, got '${loadTestInvoker.account}'`,
    );
  }
  if (!/^\/([\w+=,.@-]+\/)*$/.test(loadTestInvoker.path) || loadTestInvoker.path.length > 512) {
    throw new Error(`channel api load-test role path '${loadTestInvoker.path}' is not a valid iam path`);
  }
}

/**
 * CORS for the browser origins (the web chat's): POST (a turn), GET (health) and OPTIONS (the
 * preflight API Gateway answers itself), the SigV4 headers, Retry-After readable; no cookies.
 */
function corsPreflight(origins: readonly string[] | undefined): apigwv2.CorsPreflightOptions | undefined {
  if (!origins || origins.length === 0) return undefined;
  return {
    allowOrigins: [...origins],
    allowMethods: [apigwv2.CorsHttpMethod.POST, apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.OPTIONS],
    allowHeaders: [...CORS_ALLOWED_HEADERS],
    exposeHeaders: [...CORS_EXPOSED_HEADERS],
    allowCredentials: false,
    maxAge: Duration.hours(1),
  };
}

/** The channel API (see the file comment). */
/** The conversation gate's settings (docs/web.md, "Rate limit and conversation ownership"). */
export interface ConversationGateSettings {
  /** Tokens per second of each Cognito identity's bucket (> 0). */
  readonly ratePerSecond: number;
  /** Size of the bucket (1+). */
  readonly burst: number;
  /** Seconds a conversation stays bound to its owner after its last turn (1+). */
  readonly ownerTtlSeconds: number;
}

export class ChannelApi extends Construct {
  /** The HTTP API; the construct's default child. */
  readonly api: apigwv2.HttpApi;
  /** The `$default` stage. */
  readonly stage: apigwv2.HttpStage;
  /** The stage's access logs. */
  readonly accessLogs: logs.LogGroup;
  /** The channel function behind both routes. */
  readonly handler: PlatformFunction;
  /** The role a load test assumes to call the API (generated name, under `loadTestInvoker.path`). */
  readonly loadTestInvokerRole: iam.Role;
  /** The role the support desk assumes to call the ticket routes (addTicketRoutes); none before. */
  supportDeskRole?: iam.Role;

  constructor(scope: Construct, id: string, props: ChannelApiProps) {
    validate(props); // before super: invalid props leave nothing in the tree
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.handler = new PlatformFunction(this, 'Handler', {
      entry: absolute(HANDLERS.channel.entry),
      chunks: HANDLERS.channel.chunks,
      serviceName: CHANNEL_SERVICE,
      description:
        'Channel API: validates a message, checks its owner and rate limit (Redis), sends it to Lex RecognizeText',
      memorySize: 512,
      timeout: Duration.seconds(29), // the HTTP API's integration limit
      logRetention: props.logRetention,
      vpc: props.vpc,
      vpcSubnets: {
        subnets: props.vpc.isolatedSubnets.length > 0 ? props.vpc.isolatedSubnets : props.vpc.privateSubnets,
      },
      securityGroups: [props.securityGroup],
      environment: {
        [ChannelEnv.ENVIRONMENT]: props.environmentName,
        [ChannelEnv.BOT_ID]: props.bot.bot.attrId,
        [ChannelEnv.BOT_ALIAS_ID]: props.bot.alias.attrBotAliasId,
        [ChannelEnv.BOT_LOCALES]: LOCALES.join(','),
      },
    });
    props.bot.grantRecognizeText(this.handler);
    this.node.addValidation({
      validate: () =>
        this.gateBound ? [] : ['channel api is not bound to its conversation gate (bindConversationGate)'],
    });

    // 'Default': the API is this construct's default child, so it and its routes keep the
    // logical ids they had before the construct existed.
    this.api = new apigwv2.HttpApi(this, 'Default', {
      apiName: props.apiName ?? id,
      description: `Conversational platform channel API (${props.environmentName})`,
      createDefaultStage: false,
      defaultAuthorizer: new HttpIamAuthorizer(),
      corsPreflight: corsPreflight(props.corsAllowedOrigins),
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy });
    this.stage = this.api.addStage('Stage', {
      stageName: STAGE_NAME,
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit, burstLimit: props.throttleBurstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigateway.AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });
    this.addRoutes();
    this.loadTestInvokerRole = this.createInvokerRole(props.loadTestInvoker);
  }

  private gateBound = false;

  /**
   * The conversation gate (src/channel/gate.ts): conversation ownership and the per-identity token
   * bucket in the session store's Redis, over TLS with its AUTH token (read once per container).
   */
  /**
   * Feedback on answers (POST .../feedback, src/feedback): stored with the turn it rates in the
   * conversation table (UpdateItem, and GetItem to tell a missing turn from a repeated feedback)
   * and emitted on the conversation event stream. Nothing else of either.
   */
  bindFeedback(table: dynamodb.ITableV2, stream: kinesis.IStream): void {
    const fn = this.handler;
    fn.addEnvironment(ChannelEnv.CONVERSATION_TABLE_NAME, table.tableName);
    fn.addEnvironment(ChannelEnv.EVENT_STREAM_NAME, stream.streamName);
    table.grant(fn, 'dynamodb:UpdateItem', 'dynamodb:GetItem');
    table.encryptionKey?.grant(fn, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
    stream.grant(fn, 'kinesis:PutRecords');
    stream.encryptionKey?.grant(fn, 'kms:GenerateDataKey');
  }

  bindConversationGate(store: SessionStore, settings: ConversationGateSettings): void {
    const { ratePerSecond, burst, ownerTtlSeconds } = settings;
    if (this.gateBound) throw new Error('channel api is already bound to its conversation gate');
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond))
      throw new Error(`conversation gate rate must be positive, got ${ratePerSecond}`);
    for (const [what, value] of [
      ['burst', burst],
      ['owner ttl', ownerTtlSeconds],
      ['port', store.port],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new Error(`conversation gate ${what} must be a positive integer, got ${value}`);
    }
    this.gateBound = true;
    const fn = this.handler;
    fn.addEnvironment(ChannelEnv.REDIS_HOST, store.host);
    fn.addEnvironment(ChannelEnv.REDIS_PORT, String(store.port));
    fn.addEnvironment(ChannelEnv.REDIS_TLS, 'true');
    fn.addEnvironment(ChannelEnv.REDIS_AUTH_SECRET_ARN, store.authSecret.secretArn);
    fn.addEnvironment(ChannelEnv.RATE_PER_IDENTITY, String(ratePerSecond));
    fn.addEnvironment(ChannelEnv.BURST_PER_IDENTITY, String(burst));
    fn.addEnvironment(ChannelEnv.OWNER_TTL_SECONDS, String(ownerTtlSeconds));
    store.authSecret.grantRead(fn);
  }

  /** The API's base URL, e.g. https://abc.execute-api.us-east-1.amazonaws.com/ */
  get url(): string {
    return this.api.apiEndpoint + '/';
  }

  private addRoutes(): void {
    const integration = new HttpLambdaIntegration('ChannelIntegration', this.handler);
    this.api.addRoutes({ path: MESSAGES_PATH, methods: [apigwv2.HttpMethod.POST], integration });
    this.api.addRoutes({ path: FEEDBACK_PATH, methods: [apigwv2.HttpMethod.POST], integration });
    const [health] = this.api.addRoutes({
      path: HEALTH_PATH,
      methods: [apigwv2.HttpMethod.GET],
      integration,
      authorizer: new apigwv2.HttpNoneAuthorizer(),
    });
    acknowledge(
      health,
      'GET /v1/health is deliberately unauthenticated for load balancers and the pipeline health check; it returns only {status} and touches no data.',
      'AwsSolutions-APIG4',
    );
  }

  /**
   * The support desk's ticket API: POST /v1/tickets, GET and PATCH /v1/tickets/{ticketId} on
   * `handler`, IAM-authorized (the API's default), and the SupportDeskRole, assumable by
   * `deskPrincipal` only, allowed `execute-api:Invoke` on exactly these three routes of this
   * API's stage. No other role of the platform names them (the load-test invoker and the
   * customers' guest identities are allowed the conversation routes only), so IAM authorization
   * refuses them any ticket route (docs/tickets.md, "Who may call the ticket API").
   */
  addTicketRoutes(handler: lambda.IFunction, deskPrincipal: DeskPrincipal): iam.Role {
    if (this.supportDeskRole) throw new Error('channel api ticket routes are already added');
    const principal = deskPrincipalOf(deskPrincipal);
    const integration = new HttpLambdaIntegration('TicketsIntegration', handler);
    this.api.addRoutes({ path: TICKETS_PATH, methods: [apigwv2.HttpMethod.POST], integration });
    this.api.addRoutes({
      path: TICKET_PATH,
      methods: [apigwv2.HttpMethod.GET, apigwv2.HttpMethod.PATCH],
      integration,
    });
    const role = new iam.Role(this, 'SupportDeskRole', {
      assumedBy: principal,
      description:
        'Assumed by the support desk to call the ticket API (POST/GET/PATCH /v1/tickets) with SigV4',
      maxSessionDuration: Duration.hours(1),
    });
    const one = TICKET_PATH.replace('{ticketId}', '*');
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'TicketRoutesOnly',
        actions: ['execute-api:Invoke'],
        resources: [
          this.api.arnForExecuteApi('POST', TICKETS_PATH, STAGE_NAME),
          this.api.arnForExecuteApi('GET', one, STAGE_NAME),
          this.api.arnForExecuteApi('PATCH', one, STAGE_NAME),
        ],
      }),
    );
    const { region, account } = Stack.of(this);
    const api = `arn:aws:execute-api:${region}:${account}:<${logicalIdOf(this.api)}>/${STAGE_NAME}`;
    acknowledge(
      role,
      'The * is the {ticketId} path parameter of the one ticket route: the desk may read and update any ticket, and only via GET/PATCH on this API and stage.',
      `AwsSolutions-IAM5[Resource::${api}/GET${one}]`,
      `AwsSolutions-IAM5[Resource::${api}/PATCH${one}]`,
    );
    this.supportDeskRole = role;
    return role;
  }

  /** The role a load test (in the pipeline account) assumes to call the API as a client would. */
  private createInvokerRole(invoker: LoadTestInvoker): iam.Role {
    const role = new iam.Role(this, 'LoadTestInvokerRole', {
      path: invoker.path,
      assumedBy: new iam.AccountPrincipal(invoker.account),
      description: 'Assumed by the pipeline load-test step to call the channel API with SigV4',
      maxSessionDuration: Duration.hours(2),
    });
    const messages = MESSAGES_PATH.replace('{conversationId}', '*');
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['execute-api:Invoke'],
        resources: [
          this.api.arnForExecuteApi('POST', messages, STAGE_NAME),
          this.api.arnForExecuteApi('GET', HEALTH_PATH, STAGE_NAME),
        ],
      }),
    );
    const { region, account } = Stack.of(this);
    acknowledge(
      role,
      'The * is the {conversationId} path parameter of the one messages route: a client may post to any conversation, and only via POST on this API and stage.',
      `AwsSolutions-IAM5[Resource::arn:aws:execute-api:${region}:${account}:<${logicalIdOf(this.api)}>/${STAGE_NAME}/POST${messages}]`,
    );
    return role;
  }
}
