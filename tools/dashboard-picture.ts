import { Testing } from 'cdk8s';
import { CollectorPrerequisites, FargateContainerInsightsCollector } from '../src';
import type { DashboardWidgetJson as Widget } from '../src/prerequisites/dashboard-body';

/**
 * The picture of the dashboard in the docs (docs/dashboard.svg), drawn from
 * the dashboard's own definition, `CollectorPrerequisites.dashboardBody`:
 * each widget where the body places it on CloudWatch's 24-column grid, with
 * its title and what it reads. `npm run picture` writes it; the tests draw
 * it again and compare, so the picture cannot drift from what is deployed.
 */

/** The configuration the picture shows: the default collector with pod health, so every kind of widget is in it. */
export function pictureBody(): string {
  const chart = Testing.chart();
  const collector = new FargateContainerInsightsCollector(chart, 'Collector', {
    clusterName: 'prod-eu',
    region: 'eu-west-1',
    serviceAccountRoleArn: 'arn:aws:iam::123456789012:role/prod-eu-adot-collector',
    podHealth: {},
  });
  const body = CollectorPrerequisites.of({ collector }).dashboardBody;
  if (body === undefined) throw new Error('The pictured configuration has no dashboard');
  return body;
}

/** Where the picture is. */
export const PICTURE_FILE = 'docs/dashboard.svg';

const COLUMN = 48;
const ROW = 36;
const LINE = 15;
/** About how wide a character of the 11-pixel sans-serif font is. */
const CHARACTER = 6.1;

const xmlEscape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** Text cut to what fits `pixels`, with an ellipsis when cut. */
function clip(text: string, pixels: number): string {
  const room = Math.floor(pixels / CHARACTER);
  return text.length <= room ? text : `${text.slice(0, Math.max(0, room - 1))}…`;
}

/** Text wrapped at spaces into lines that fit `pixels`; a word longer than a line is cut. */
function wrap(text: string, pixels: number): string[] {
  const room = Math.floor(pixels / CHARACTER);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((one) => clip(one, pixels));
}

/** What a metric widget's entry reads, for a person: the metric and its dimensions, or the query's shape. */
export function seriesText(entry: readonly unknown[]): string {
  const [first] = entry;
  if (typeof first === 'string') {
    const strings = entry.filter((part): part is string => typeof part === 'string');
    const dimensions = strings.slice(2).filter((_, i) => i % 2 === 0);
    const stat = (entry.find((part) => typeof part === 'object') as { stat?: string } | undefined)?.stat;
    return `${strings[1]} (${stat}) by ${dimensions.join(', ')}`;
  }
  const { expression } = first as { expression: string };
  const search = /^SEARCH\('\{ContainerInsights,([^}]+)\} MetricName="([^"]+)"[^']*', '(\w+)'/.exec(expression);
  if (search) {
    const per = (search[1] as string).split(',').filter((name) => name !== 'ClusterName' && name !== 'LaunchType');
    return `${search[2]} (${search[3]}), one line per ${per.join(' and ')}`;
  }
  const insights = /^SELECT ([A-Z]+)\(([a-z_]+)\).* GROUP BY (.+) ORDER BY/.exec(expression);
  if (insights) return `top 10 ${insights[3]} by ${insights[1]}(${insights[2]})`;
  return expression;
}

/** The lines a widget shows under its title. */
function widgetLines(widget: Widget): string[] {
  const { properties } = widget;
  if (widget.type === 'text') return (properties.markdown as string).split('\n').slice(1);
  if (widget.type === 'alarm') return (properties.alarms as string[]).map((arn) => `alarm ${arn.split(':').pop()}`);
  return (properties.metrics as unknown[][]).map(seriesText);
}

/** A widget's title: a text widget's heading, else its title. */
function widgetTitle(widget: Widget): string {
  if (widget.type === 'text') return ((widget.properties.markdown as string).split('\n')[0] ?? '').replace(/^#+ /, '');
  return widget.properties.title as string;
}

/** The picture, as SVG text, of a `DashboardBody`. */
export function dashboardSvg(body: string): string {
  const { widgets } = JSON.parse(body) as { widgets: Widget[] };
  const width = 24 * COLUMN;
  const height = Math.max(...widgets.map((widget) => widget.y + widget.height)) * ROW;
  const drawn = widgets.map((widget) => {
    const left = widget.x * COLUMN + 4;
    const top = widget.y * ROW + 4;
    const w = widget.width * COLUMN - 8;
    const h = widget.height * ROW - 8;
    const fill = widget.type === 'alarm' ? '#fdf3f1' : widget.type === 'text' ? '#f4f6f8' : '#ffffff';
    const room = Math.floor((h - 30) / LINE);
    const lines = widgetLines(widget)
      .flatMap((line) => wrap(line, w - 20))
      .slice(0, room);
    return [
      `  <g>`,
      `    <rect x="${left}" y="${top}" width="${w}" height="${h}" rx="4" fill="${fill}" stroke="#8d99a8"/>`,
      `    <text x="${left + 10}" y="${top + 20}" font-weight="bold">${xmlEscape(clip(widgetTitle(widget), w - 20))}</text>`,
      ...lines.map(
        (line, i) => `    <text x="${left + 10}" y="${top + 40 + i * LINE}" fill="#41505f">${xmlEscape(line)}</text>`,
      ),
      `  </g>`,
    ].join('\n');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    `  <title>The CloudWatch dashboard of a cluster with pod health, as cdk8s-fargate-container-insights defines it</title>`,
    `  <rect width="${width}" height="${height}" fill="#eaeded"/>`,
    ...drawn,
    `</svg>`,
    '',
  ].join('\n');
}
