import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

/** One part of the dashboard: a heading, then its graphs. */
export interface DashboardSection {
  readonly title: string;
  readonly widgets: readonly cloudwatch.IWidget[];
}

export interface PlatformDashboardProps {
  /** The dashboard's name (fixed: it is how people find it). */
  readonly dashboardName: string;
  /** In order, top to bottom. */
  readonly sections: readonly DashboardSection[];
  /** @default 3 hours */
  readonly defaultInterval?: Duration;
}

/** Width of a heading row (the dashboard grid is 24 wide). */
const FULL_WIDTH = 24;

/**
 * The stage's CloudWatch dashboard: a section per concern, each a heading and its graphs, left to
 * right and wrapping. The dashboard is this construct's default child, so it keeps the logical id
 * it had at the monitoring stack's top level (construct id `Dashboard`).
 */
export class PlatformDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: PlatformDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Default', {
      dashboardName: props.dashboardName,
      defaultInterval: props.defaultInterval ?? Duration.hours(3),
    });
    for (const section of props.sections) {
      if (section.widgets.length === 0) continue;
      this.dashboard.addWidgets(
        new cloudwatch.TextWidget({ markdown: `## ${section.title}`, width: FULL_WIDTH, height: 1 }),
      );
      this.dashboard.addWidgets(...section.widgets);
    }
  }
}
