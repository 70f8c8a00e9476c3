/**
 * How every alarm of the platform is made: a fixed name (`conversational-platform-<env>-<id>`),
 * ALARM and OK to the alarm topic, missing data not breaching, and a logical id that follows the
 * name rather than the construct the alarm is defined in.
 *
 * Why the logical id follows the name: an alarm's name is fixed, so a new logical id for the same
 * name makes CloudFormation create the "new" alarm first, which fails on the existing name. The
 * alarms once sat at the monitoring stack's top level, where CDK derived each logical id from the
 * id alone; `alarmLogicalId` keeps that id wherever the alarm is defined now (and for new alarms
 * too, so moving one between constructs never changes it).
 */
import { createHash } from 'node:crypto';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { pinLogicalId } from '../logical-ids';

/** An alarm's settings: a threshold and a description always; CDK's alarm options otherwise. */
export type AlarmSettings = Partial<cloudwatch.CreateAlarmOptions> & {
  readonly threshold: number;
  readonly description: string;
};

/**
 * The logical id CDK gives an L2 alarm created with construct id `id` at a stack's top level:
 * the id's letters and digits, then the first 8 hex digits (upper case) of the MD5 of its L1's
 * path, `<id>/Resource` (CDK's `makeUniqueId`; stable, as CloudFormation migration relies on it).
 */
export function alarmLogicalId(id: string): string {
  const hash = createHash('md5').update(`${id}/Resource`).digest('hex').slice(0, 8).toUpperCase();
  return `${id.replace(/[^A-Za-z0-9]/g, '')}${hash}`;
}

export interface AlarmFactoryProps {
  /** The environment's name, part of every alarm's name. */
  readonly environmentName: string;
  /** Where every alarm sends ALARM and OK. */
  readonly topic: sns.ITopic;
}

/**
 * Makes the alarms of one monitoring stack (one factory per stack, shared by its alarm groups):
 * each id once, since it is both the alarm's name suffix and its logical id.
 */
export class AlarmFactory {
  /** Every alarm made, in order. */
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly ids = new Set<string>();

  constructor(private readonly props: AlarmFactoryProps) {}

  /** The alarm name for `id`: `conversational-platform-<env>-<id>`. */
  alarmName(id: string): string {
    return `conversational-platform-${this.props.environmentName}-${id}`;
  }

  /**
   * An alarm on `metric`, in `scope` under construct id `id`, named after `id`, pinned to
   * `alarmLogicalId(id)`: by default alarming at or above the threshold in one period.
   */
  create(
    scope: Construct,
    id: string,
    metric: cloudwatch.IMetric,
    settings: AlarmSettings,
  ): cloudwatch.Alarm {
    if (this.ids.has(id)) throw new Error(`alarm ${this.alarmName(id)} is defined twice`);
    this.ids.add(id);
    const { description, ...options } = settings;
    const alarm = new cloudwatch.Alarm(scope, id, {
      metric,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmName: this.alarmName(id),
      alarmDescription: description,
      ...options,
    });
    pinLogicalId(alarm, alarmLogicalId(id));
    alarm.addAlarmAction(new actions.SnsAction(this.props.topic));
    alarm.addOkAction(new actions.SnsAction(this.props.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}

/** A group of alarms on one concern, with the dashboard widgets that show what they watch. */
export abstract class AlarmGroup extends Construct {
  /** Graphs of what this group watches, for the dashboard (in order). */
  abstract readonly widgets: readonly cloudwatch.IWidget[];

  constructor(
    scope: Construct,
    id: string,
    protected readonly factory: AlarmFactory,
  ) {
    super(scope, id);
  }

  /** An alarm of this group (see AlarmFactory.create). */
  protected alarm(id: string, metric: cloudwatch.IMetric, settings: AlarmSettings): cloudwatch.Alarm {
    return this.factory.create(this, id, metric, settings);
  }
}
