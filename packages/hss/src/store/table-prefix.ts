import {
  OperationNodeTransformer,
  type IdentifierNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from "kysely";
import { TABLE_NAMES } from "./tables.js";

/** Renames every identifier that is one of our table names to `prefix + name`. */
class PrefixTransformer extends OperationNodeTransformer {
  readonly #names: ReadonlySet<string>;
  readonly #prefix: string;

  constructor(prefix: string) {
    super();
    this.#prefix = prefix;
    this.#names = new Set<string>(TABLE_NAMES);
  }

  protected override transformIdentifier(node: IdentifierNode): IdentifierNode {
    const t = super.transformIdentifier(node);
    return this.#names.has(t.name) ? { ...t, name: this.#prefix + t.name } : t;
  }
}

/**
 * Lets several stores share one database (tests run files in parallel against one MariaDB
 * database they may not create): every table gets the prefix.
 */
export class TablePrefixPlugin implements KyselyPlugin {
  readonly #transformer: PrefixTransformer;

  constructor(prefix: string) {
    this.#transformer = new PrefixTransformer(prefix);
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node, args.queryId);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}
