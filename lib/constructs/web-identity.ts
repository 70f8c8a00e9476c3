/**
 * WebIdentity owns who a browser is to the channel API (docs/web.md, "Guest and signed-in
 * access"): a Cognito identity pool that gives every visitor a guest identity and temporary AWS
 * credentials, so the page holds no AWS secret; the guest role, which may only
 * `execute-api:Invoke` the customer routes of this stage's API (exact ARNs: this API id, the
 * `$default` stage, POST, the messages and feedback paths) and nothing else; and, when enabled, a
 * user pool with a public app client for signed-in customers, whose identities get the
 * authenticated role with the same customer routes only.
 *
 * The pool uses the enhanced (simplified) flow only (`AllowClassicFlow: false`): the browser calls
 * GetId then GetCredentialsForIdentity, and Cognito picks the role from the pool's role
 * attachment. In the classic flow the browser would get an OpenID token and call
 * AssumeRoleWithWebIdentity itself, naming any role that trusts the pool; disabling it leaves the
 * attachment as the one place that decides. Cognito also scopes guest credentials of the enhanced
 * flow down with its own session policy, a second fence around the guest role.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { acknowledge } from '../nag';

/**
 * How cdk-nag names a value in a finding (`[Resource::...]`): a literal as is, a same-stack
 * reference as `<LogicalId>` or `<LogicalId.Attr>`, another stack's value by its export name.
 * Cross-stack values are only known once CDK has resolved references, so this runs at validation
 * time (see acknowledgeOnceResolved).
 */
export function nagName(scope: IConstruct, token: string): string {
  const resolved: unknown = Stack.of(scope).resolve(token);
  if (typeof resolved === 'string') return resolved;
  const r = resolved as Record<string, unknown>;
  if (typeof r.Ref === 'string') return `<${r.Ref}>`;
  if (Array.isArray(r['Fn::GetAtt'])) return `<${(r['Fn::GetAtt'] as string[]).join('.')}>`;
  if (typeof r['Fn::ImportValue'] === 'string') return r['Fn::ImportValue'];
  throw new Error(`nagName: cannot name ${JSON.stringify(resolved)}`);
}

/**
 * acknowledge(), for finding ids that name another stack's value: registered when the tree is
 * validated, after CDK has turned cross-stack references into imports, so the ids are exact.
 */
export function acknowledgeOnceResolved(construct: IConstruct, reason: string, ids: () => string[]): void {
  construct.node.addValidation({
    validate: () => {
      acknowledge(construct, reason, ...ids());
      return [];
    },
  });
}

/** One route a customer's browser calls, as API Gateway's execute-api ARN names it (`*` = a path parameter). */
export interface CustomerRoute {
  readonly method: 'POST' | 'GET';
  readonly path: string;
}

export interface WebIdentityProps {
  /** The channel API the customers call. */
  readonly api: apigwv2.IHttpApi;
  /** Its stage (`$default`). */
  readonly stageName: string;
  /** The routes the guest and signed-in roles may invoke; nothing else. */
  readonly customerRoutes: readonly CustomerRoute[];
  /** Create a user pool and app client for signed-in customers. */
  readonly signedInCustomers: boolean;
  /** Name of the identity pool (and prefix of the user pool's), e.g. `conversational-platform-dev-web`. */
  readonly name: string;
  /**
   * What happens to the user pool (customer accounts) when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const FEDERATED = 'cognito-identity.amazonaws.com';

function validate(props: WebIdentityProps): void {
  if (props.customerRoutes.length === 0) throw new Error('web identity needs at least one customer route');
  for (const { path } of props.customerRoutes) {
    if (!/^\/[\w*/-]+$/.test(path) || path.includes('{')) {
      throw new Error(`web identity route path must be a plain path with * for parameters, got '${path}'`);
    }
  }
  if (!/^[\w-]{1,128}$/.test(props.name)) {
    throw new Error(`web identity name must be 1-128 letters, digits, _ or -, got '${props.name}'`);
  }
}

/** The identity pool, its roles and the optional user pool (see the file comment). */
export class WebIdentity extends Construct {
  readonly identityPool: cognito.CfnIdentityPool;
  /** The identity pool id the widget's config names. */
  readonly identityPoolId: string;
  /** The role of every guest (unauthenticated) identity. */
  readonly guestRole: iam.Role;
  /** The role of signed-in identities; only with `signedInCustomers`. */
  readonly authenticatedRole?: iam.Role;
  readonly userPool?: cognito.UserPool;
  readonly userPoolClient?: cognito.UserPoolClient;
  /** The execute-api ARNs both roles may invoke, one per customer route. */
  readonly invokeArns: string[];
  /** invokeArns as cdk-nag names them (at validation time). */
  private readonly nagInvokeArns: () => string[];

  constructor(scope: Construct, id: string, props: WebIdentityProps) {
    validate(props);
    super(scope, id);
    const { partition, region, account } = Stack.of(this);
    const invokeArn = (apiId: string, { method, path }: CustomerRoute): string =>
      `arn:${partition}:execute-api:${region}:${account}:${apiId}/${props.stageName}/${method}${path}`;
    this.invokeArns = props.customerRoutes.map((route) => invokeArn(props.api.apiId, route));
    this.nagInvokeArns = () =>
      props.customerRoutes.map((route) => invokeArn(nagName(this, props.api.apiId), route));

    if (props.signedInCustomers) {
      ({ userPool: this.userPool, client: this.userPoolClient } = this.createUserPool(props));
    }
    this.identityPool = new cognito.CfnIdentityPool(this, 'Pool', {
      identityPoolName: props.name,
      allowUnauthenticatedIdentities: true,
      allowClassicFlow: false,
      cognitoIdentityProviders:
        this.userPool && this.userPoolClient
          ? [
              {
                providerName: this.userPool.userPoolProviderName,
                clientId: this.userPoolClient.userPoolClientId,
                serverSideTokenCheck: true,
              },
            ]
          : undefined,
    });
    this.identityPoolId = this.identityPool.ref;
    acknowledge(
      this.identityPool,
      'Guest (unauthenticated) identities are the point: a visitor chats without an account; the guest role may only invoke the customer routes of this API.',
      'AwsSolutions-COG7',
    );

    this.guestRole = this.createRole('GuestRole', 'unauthenticated', 'guests');
    if (props.signedInCustomers) {
      this.authenticatedRole = this.createRole('AuthenticatedRole', 'authenticated', 'signed-in customers');
    }
    new cognito.CfnIdentityPoolRoleAttachment(this, 'Roles', {
      identityPoolId: this.identityPoolId,
      roles: {
        unauthenticated: this.guestRole.roleArn,
        ...(this.authenticatedRole && { authenticated: this.authenticatedRole.roleArn }),
      },
    });
  }

  /** A role only this pool's identities of one kind (`amr`) can assume, allowed the customer routes only. */
  private createRole(id: string, amr: 'unauthenticated' | 'authenticated', who: string): iam.Role {
    const role = new iam.Role(this, id, {
      description: `Web chat ${who}: invoke the channel API's customer routes, nothing else`,
      assumedBy: new iam.FederatedPrincipal(
        FEDERATED,
        {
          StringEquals: { [`${FEDERATED}:aud`]: this.identityPoolId },
          'ForAnyValue:StringLike': { [`${FEDERATED}:amr`]: amr },
        },
        'sts:AssumeRoleWithWebIdentity',
      ),
      inlinePolicies: {
        CustomerRoutes: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: this.invokeArns }),
          ],
        }),
      },
    });
    acknowledgeOnceResolved(
      role,
      'Each * is the {conversationId} path parameter of one customer route (POST messages, POST feedback) of this API and stage: a customer may post to any conversation id; the channel binds each conversation to its first identity.',
      () => this.nagInvokeArns().map((arn) => `AwsSolutions-IAM5[Resource::${arn}]`),
    );
    return role;
  }

  /** Customer accounts: sign-in by e-mail, no self sign-up (the site owner enrols customers), SRP only. */
  private createUserPool(props: WebIdentityProps): {
    userPool: cognito.UserPool;
    client: cognito.UserPoolClient;
  } {
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `${props.name}-customers`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });
    acknowledge(
      userPool,
      'Customers of the chat choose whether to add a TOTP second factor (MFA optional); requiring it would turn a support chat into an enrolment flow. Threat protection (Plus feature plan) is a cost decision left to the owner.',
      'AwsSolutions-COG2',
      'AwsSolutions-COG3',
    );
    const client = userPool.addClient('WebClient', {
      generateSecret: false, // a browser cannot keep a secret
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
    });
    return { userPool, client };
  }
}
