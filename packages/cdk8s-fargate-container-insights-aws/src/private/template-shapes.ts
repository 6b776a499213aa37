import { CfnElement, Names, type Stack } from 'aws-cdk-lib';
import { CollectorPrerequisites } from 'cdk8s-fargate-container-insights';
import { Construct, RootConstruct } from 'constructs';

/**
 * Templates at the speed of manifests: a fleet's clusters differ mostly in
 * their name, region, account and OIDC provider, so their templates differ
 * only where those values are written. A template is synthesized once per
 * *shape* (the prerequisites with those values replaced by stand-ins of the
 * same length) and filled in with each cluster's values.
 *
 * Filling in is text replacement, which is only right where the values are
 * copied into the template unchanged. Two places are not:
 *
 * - logical IDs made from construct IDs that hold a value (a log group's
 *   `LogGroup/aws/containerinsights/<cluster>/performance`): aws-cdk-lib
 *   strips their punctuation and appends a hash of the path. They are
 *   recomputed from the cluster's path with aws-cdk-lib's own `Names.uniqueId`,
 *   which is what `Stack.allocateLogicalId` calls;
 * - anything else that transforms a value (a hash, a case change, a branch on
 *   its content). It is caught, not assumed away: the first cluster of every
 *   shape is synthesized directly, the shape is rendered when a second
 *   cluster shares it (so a single cluster costs one synthesis), and a shape
 *   whose template filled in with the first cluster's values is not byte for
 *   byte that cluster's synthesis is synthesized directly for every cluster.
 *
 * Stand-ins have the value's length, so a limit on a name's length (an IAM
 * role name's 64 characters) sees what it would see with the value.
 */

/** A synthesis of a cluster's stack: its template's text, and the stack, for its logical IDs. */
export interface Synthesis {
  /** The template, as JSON text. */
  readonly text: string;
  /** The synthesized stack. */
  readonly stack: Stack;
}

/** Synthesizes a cluster's stack. */
export type Synthesize = (prerequisites: CollectorPrerequisites) => Synthesis;

/** A logical ID that is made from a construct path holding stand-ins. */
interface PathLogicalId {
  /** The logical ID with the stand-ins. */
  readonly logicalId: string;
  /** The construct IDs of its path below the stack, with the stand-ins. */
  readonly path: readonly string[];
}

/** A shape's template with the stand-ins, or why it is synthesized for every cluster. */
type Rendered = { readonly text: string; readonly logicalIds: readonly PathLogicalId[] } | { readonly direct: string };

/**
 * A shape: its first cluster's template and values, until a second cluster
 * shares it (a single cluster costs one synthesis); then rendered.
 */
type Shape = { readonly first: string; readonly toValues: ReadonlyMap<string, string> } | Rendered;

/** The values that differ between clusters of one shape, with the characters their stand-ins take. */
const VALUES = [
  // Mixed case: a case change of a cluster name would show.
  { name: 'clusterName', characters: 'qZxJvKwPmYbHgTfRnDcLsVkQ', of: (p: CollectorPrerequisites) => p.clusterName },
  { name: 'region', characters: 'qzxjvkwpmybhgtfrndcls', of: (p: CollectorPrerequisites) => p.region },
  { name: 'account', characters: '9081726354', of: (p: CollectorPrerequisites) => p.account },
  {
    name: 'oidcProviderId',
    characters: 'QZXJVKWPMYBHGTFRNDCLS',
    of: (p: CollectorPrerequisites) => p.oidcProvider?.slice(p.oidcProvider.lastIndexOf('/') + 1),
  },
] as const;

/** The characters a value may have for its stand-in to be written where it is, unescaped in JSON and unchanged in a path. */
const PLAIN_VALUE = /^[A-Za-z0-9._-]+$/;

/**
 * A stand-in of `length` characters for a value: letters (and digits) no
 * template writes, the same for every cluster, so that clusters of one shape
 * share one key.
 */
function standIn(characters: string, length: number): string {
  let text = '';
  // A fixed scatter over the characters (Knuth's multiplicative hash), so that no stand-in repeats a short run.
  for (let i = 0; i < length; i++) text += characters[(Math.imul(i + 1, 2654435761) >>> 0) % characters.length];
  return text;
}

/** Replaces every occurrence of each key of `pairs` in `text`, in one pass, longest key first where two start together. */
function replaceEach(text: string, pairs: ReadonlyMap<string, string>): string {
  if (pairs.size === 0) return text;
  const keys = [...pairs.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return text.replace(pattern, (match) => pairs.get(match) ?? match);
}

/** The logical ID aws-cdk-lib allocates to an element at this path below its stack. */
function logicalIdAt(path: readonly string[]): string {
  let scope: Construct = new RootConstruct();
  for (const id of path) scope = new Construct(scope, id);
  return Names.uniqueId(scope);
}

/** The logical IDs of a synthesized stack that are made from paths holding any of the stand-ins. */
function pathLogicalIds(stack: Stack, standIns: readonly string[]): PathLogicalId[] {
  const found: PathLogicalId[] = [];
  for (const element of stack.node.findAll()) {
    if (!CfnElement.isCfnElement(element)) continue;
    const scopes = element.node.scopes;
    const path = scopes.slice(scopes.indexOf(stack) + 1).map((scope) => scope.node.id);
    if (!path.some((id) => standIns.some((s) => id.includes(s)))) continue;
    const logicalId = stack.resolve(element.logicalId) as string;
    // An overridden logical ID is written as it is: the filled-in text then has the value where the stand-in was.
    if (logicalIdAt(path) === logicalId) found.push({ logicalId, path });
  }
  return found;
}

/**
 * Each cluster's template from one synthesis per shape; see the module's
 * comment for how, and why it cannot give another template than a direct
 * synthesis.
 */
export class TemplateShapes {
  /** Syntheses run: shapes rendered with stand-ins, and direct syntheses of clusters. */
  public syntheses = 0;
  private readonly shapes = new Map<string, Shape>();

  /**
   * @param synthesize synthesizes a cluster's stack
   * @param limit the most shapes kept; the least recently used goes first
   */
  public constructor(
    private readonly synthesize: Synthesize,
    private readonly limit = 64,
  ) {}

  /** The cluster's template: filled in from its shape's, or synthesized. */
  public template(prerequisites: CollectorPrerequisites): string {
    const values = VALUES.map((v) => v.of(prerequisites));
    if (!values.every((v): v is string => v !== undefined && PLAIN_VALUE.test(v))) return this.direct(prerequisites);
    const standIns = VALUES.map((v, i) => standIn(v.characters, values[i]?.length ?? 0));
    const toStandIns = new Map(values.map((v, i) => [v, standIns[i] as string]));
    const toValues = new Map(standIns.map((s, i) => [s, values[i] as string]));
    const json = prerequisites._json;
    // In the whole text, property names too: an eksctl trust policy's condition keys hold the OIDC provider.
    const key = replaceEach(json, toStandIns);
    // The stand-ins must stand for the values alone: no stand-in in the cluster's own text, none in another.
    if (
      replaceEach(key, toValues) !== json ||
      standIns.some((s, i) => standIns.some((t, j) => i !== j && t.includes(s)))
    ) {
      return this.direct(prerequisites);
    }

    let shape = this.shapes.get(key);
    if (shape === undefined) {
      const direct = this.direct(prerequisites);
      this.keep(key, { first: direct, toValues });
      return direct;
    }
    if ('first' in shape) {
      // A second cluster of the shape: render it, and check it against the first cluster's direct synthesis.
      const rendered = this.render(key, standIns);
      shape =
        'direct' in rendered || fill(rendered, shape.toValues) === shape.first
          ? rendered
          : { direct: 'a value is written transformed' };
    }
    this.keep(key, shape);
    return 'direct' in shape ? this.direct(prerequisites) : fill(shape, toValues);
  }

  /** Keeps a shape as the most recently used, dropping the least recently used beyond the limit. */
  private keep(key: string, shape: Shape): void {
    this.shapes.delete(key);
    this.shapes.set(key, shape);
    if (this.shapes.size > this.limit) this.shapes.delete(this.shapes.keys().next().value as string);
  }

  /**
   * The shape's template with its stand-ins, or why there is none: a value
   * that is also a property name or a number of the text (a cluster named
   * `aws`) gives stand-ins the prerequisites cannot be read from. Such a
   * shape is synthesized for each cluster, which says what is wrong if
   * anything is.
   */
  private render(key: string, standIns: readonly string[]): Rendered {
    try {
      const { text, stack } = this.run(CollectorPrerequisites._fromJson(key));
      return { text, logicalIds: pathLogicalIds(stack, standIns) };
    } catch (error) {
      return { direct: `the stand-ins are refused: ${(error as Error).message}` };
    }
  }

  private direct(prerequisites: CollectorPrerequisites): string {
    return this.run(prerequisites).text;
  }

  private run(prerequisites: CollectorPrerequisites): Synthesis {
    this.syntheses++;
    return this.synthesize(prerequisites);
  }
}

/** A shape's template with a cluster's values in place of the stand-ins. */
function fill(shape: Exclude<Rendered, { readonly direct: string }>, toValues: ReadonlyMap<string, string>): string {
  const pairs = new Map(toValues);
  for (const { logicalId, path } of shape.logicalIds) {
    pairs.set(logicalId, logicalIdAt(path.map((id) => replaceEach(id, toValues))));
  }
  // A logical ID is replaced whole: it is longer than the stand-in in it, and starts before it.
  return replaceEach(shape.text, pairs);
}
