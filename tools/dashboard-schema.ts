import { object, type Schema, schemaCheck } from './json-schema';

/**
 * The JSON schema of the dashboard bodies we write, from the CloudWatch API
 * reference's "Dashboard Body Structure and Syntax": at most 500 widgets on
 * a 24-column grid; metric widgets with their metrics array (a metric's
 * namespace, name and dimension pairs and its rendering options, or an
 * expression with its id), region, title, view and period (a multiple of
 * 60); alarm status widgets by alarm ARN; text widgets in Markdown. Only
 * the properties we set, closed, so a misspelt one fails.
 */

const integer = (minimum: number, maximum?: number): Schema => ({
  type: 'integer',
  minimum,
  ...(maximum === undefined ? {} : { maximum }),
});
const text: Schema = { type: 'string', minLength: 1 };

const metricOptions = object(
  {
    stat: { enum: ['Average', 'Sum', 'Maximum', 'Minimum', 'SampleCount'] },
    label: text,
    region: { type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]$' },
    accountId: { type: 'string', pattern: '^[0-9]{12}$' },
  },
  ['stat'],
);
const expression = object(
  {
    expression: text,
    id: { type: 'string', pattern: '^[a-z][A-Za-z0-9_]*$' },
    period: { type: 'integer', multipleOf: 60 },
  },
  ['expression', 'id'],
);
// A metric: its namespace, name and dimension name-value pairs (at most 30), then its options; or an expression.
const metric: Schema = {
  type: 'array',
  minItems: 1,
  maxItems: 63,
  items: { anyOf: [text, metricOptions, expression] },
};

const widget = (type: string, properties: Schema): Schema =>
  object(
    {
      type: { const: type },
      x: integer(0, 23),
      y: integer(0),
      width: integer(1, 24),
      height: integer(1, 1000),
      properties,
    },
    'all',
  );

const dashboardBody = object(
  {
    start: { type: 'string', pattern: '^-P' },
    widgets: {
      type: 'array',
      maxItems: 500,
      items: {
        oneOf: [
          widget(
            'metric',
            object(
              {
                title: text,
                region: { type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]$' },
                view: { const: 'timeSeries' },
                stacked: { type: 'boolean' },
                period: { type: 'integer', multipleOf: 60 },
                metrics: { type: 'array', minItems: 1, maxItems: 500, items: metric },
                yAxis: object({ left: object({ min: { type: 'number' } }, 'all') }, 'all'),
              },
              'all',
            ),
          ),
          widget(
            'alarm',
            object(
              {
                title: text,
                alarms: {
                  type: 'array',
                  minItems: 1,
                  maxItems: 100,
                  items: { type: 'string', pattern: '^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:[0-9]{12}:alarm:.+$' },
                },
              },
              'all',
            ),
          ),
          widget('text', object({ markdown: text }, 'all')),
        ],
      },
    },
  },
  'all',
);

/** The problems of a dashboard body against the schema, or undefined when it has none. */
export const dashboardBodyProblems = schemaCheck(dashboardBody);
