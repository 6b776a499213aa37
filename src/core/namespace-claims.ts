import type { Construct, IConstruct } from 'constructs';
import { showValue, ValidationError } from './errors';

/**
 * Which construct creates which namespace, per app (the construct tree's
 * root). Each construct of this library creates its Namespace object and sets
 * its Pod Security labels; two of them in one namespace would emit two
 * conflicting Namespace objects, which `kubectl apply` silently merges.
 */
const claims = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records that `owner` creates `namespace`, or fails if another construct of
 * the same app already does.
 *
 * @param input the prop the namespace came from, for the error message
 */
export function claimNamespace(owner: Construct, input: string, namespace: string): void {
  const root = owner.node.root;
  let claimed = claims.get(root);
  if (!claimed) {
    claimed = new Map();
    claims.set(root, claimed);
  }
  const other = claimed.get(namespace);
  if (other !== undefined) {
    throw new ValidationError(
      `Invalid ${input} ${showValue(namespace)}: it is already created by ${other}; expected a namespace that no other construct of this app creates.`,
    );
  }
  claimed.set(namespace, owner.node.path);
}
