import type { Construct, IConstruct } from 'constructs';
import { showValue, ValidationError } from './errors';

/**
 * Which construct creates which namespace, per app (the construct tree's
 * root). Each construct of this library creates its Namespace object and sets
 * its Pod Security labels; two of them in one namespace would emit two
 * conflicting Namespace objects, which `kubectl apply` silently merges.
 */
const claims = new WeakMap<IConstruct, Map<string, string>>();

/** The claims of `owner`'s app (the construct tree's root) in `registry`, created on first use. */
function claimsOfApp(registry: WeakMap<IConstruct, Map<string, string>>, owner: Construct): Map<string, string> {
  const root = owner.node.root;
  let claimed = registry.get(root);
  if (!claimed) {
    claimed = new Map();
    registry.set(root, claimed);
  }
  return claimed;
}

/**
 * Records that `owner` creates `namespace`, or fails if another construct of
 * the same app already does.
 *
 * @param input the prop the namespace came from, for the error message
 */
export function claimNamespace(owner: Construct, input: string, namespace: string): void {
  const claimed = claimsOfApp(claims, owner);
  const other = claimed.get(namespace);
  if (other !== undefined) {
    throw new ValidationError(
      `Invalid ${input} ${showValue(namespace)}: it is already created by ${other}; expected a namespace that no other construct of this app creates.`,
    );
  }
  claimed.set(namespace, owner.node.path);
}

/** Which construct creates which object, per app: `ClusterRole/adotcol-admin-role`, `Role/golang/adotcol-application-metrics`. */
const objectClaims = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records that `owner` creates each of `objects` (`Kind/name` for a
 * cluster-scoped object, `Kind/namespace/name` for a namespaced one), or
 * fails naming the first that another construct of the same app already
 * creates: two such objects would be one in the cluster, the last applied
 * winning.
 *
 * @param input what the user set that leads to the clash, for the error message
 * @param accepted what would not clash
 */
export function claimObjects(owner: Construct, input: string, objects: readonly string[], accepted: string): void {
  const claimed = claimsOfApp(objectClaims, owner);
  for (const object of objects) {
    const other = claimed.get(object);
    if (other !== undefined) {
      const [kind, ...name] = object.split('/');
      throw new ValidationError(
        `Invalid ${input}: ${owner.node.path} would create ${kind} "${name.join('/')}", which ${other} already creates, and whichever is applied last would replace the other; expected ${accepted}.`,
      );
    }
  }
  for (const object of objects) claimed.set(object, owner.node.path);
}
