import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { PlatformDashboard } from '../../../lib/constructs/platform-dashboard';
import { constructStack } from '../../support/construct-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const graph = (title: string) =>
  new cloudwatch.GraphWidget({ title, left: [new cloudwatch.Metric({ namespace: 'N', metricName: title })] });

/** The dashboard body (a Fn::Join of literal parts here: no tokens), parsed. */
function body(t: Template): { start: string; widgets: Json[] } {
  const [dashboard] = Object.values(t.findResources('AWS::CloudWatch::Dashboard')) as Json[];
  const raw = dashboard.Properties.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  return JSON.parse(typeof raw === 'string' ? raw : raw['Fn::Join'][1].map(String).join(''));
}

describe('PlatformDashboard', () => {
  const stack = constructStack();
  new PlatformDashboard(stack, 'Dashboard', {
    dashboardName: 'conversational-platform-test',
    sections: [
      { title: 'Turns', widgets: [graph('A'), graph('B')] },
      { title: 'Empty', widgets: [] },
      { title: 'Channel API', widgets: [graph('C')] },
    ],
  });
  const t = Template.fromStack(stack);

  it('GIVEN a dashboard name WHEN synthesized THEN it is named, shows 3 hours by default, and keeps the logical id it had at the stack top level', () => {
    expect(Object.keys(t.findResources('AWS::CloudWatch::Dashboard'))).toEqual(['Dashboard9E4231ED']);
    t.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'conversational-platform-test' });
    expect(body(t).start).toBe('-PT3H');
  });

  it('GIVEN sections, one of them empty WHEN synthesized THEN each is a full-width heading over its graphs, in order, and empty ones are skipped', () => {
    const shown = body(t).widgets.map((w) =>
      w.type === 'text' ? `${w.properties.markdown} (width ${w.width})` : w.properties.title,
    );
    expect(shown).toEqual(['## Turns (width 24)', 'A', 'B', '## Channel API (width 24)', 'C']);
  });
});
